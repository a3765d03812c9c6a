/* Prelims exam screen: countdown, autosave of each chosen option, palette updates.
 *
 * Everything here is an enhancement: without JavaScript the page is a plain form (every
 * button posts and the server redirects back), the deadline is enforced on the server and a
 * late answer is refused there. With it:
 *  - the countdown runs from the server's deadline, corrected for the device's clock;
 *    at zero the test is submitted;
 *  - a mock answer is saved the moment an option is picked (POST action=pick). If the post
 *    fails (offline), the choice is kept in localStorage and re-sent when the connection is
 *    back, on the next navigation or after a reload, so a lost connection loses nothing;
 *  - navigation buttons go through htmx (hx-post on the answer form) and wait for pending
 *    saves first, so an older autosave can never overwrite a newer answer.
 */
(function () {
  "use strict";

  var bar = document.querySelector(".exam-bar");
  if (!bar) return;
  var attemptId = bar.dataset.attempt;
  var mode = bar.dataset.mode;
  var storeKey = "prelims-pending-" + attemptId;
  var statusEl = document.getElementById("save-status");
  var retryTimer = null;
  var flushing = null;

  function setStatus(text, kind) {
    if (!statusEl) return;
    statusEl.textContent = text;
    statusEl.className = "save-status" + (kind ? " " + kind : "");
  }

  // ---- pending answers (survive reloads and lost connections) -------------------------
  function loadPending() {
    try {
      return JSON.parse(localStorage.getItem(storeKey) || "{}");
    } catch (e) {
      return {};
    }
  }

  function savePending(pending) {
    try {
      if (Object.keys(pending).length) localStorage.setItem(storeKey, JSON.stringify(pending));
      else localStorage.removeItem(storeKey);
    } catch (e) {
      /* storage full or disabled: the in-page retry still works */
    }
  }

  function answerForm() {
    return document.getElementById("answer-form");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function swapPalette(html) {
    var current = document.getElementById("palette");
    if (!current || !html) return;
    var tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    var fresh = tpl.content.querySelector("#palette");
    if (!fresh) return;
    // A keyboard user may be on a palette button: the same number keeps the focus.
    var active = document.activeElement;
    var focusedOrder = active && current.contains(active) ? active.dataset.order : null;
    current.replaceWith(fresh);
    // htmx must learn the new buttons: they submit the answer form through their `form`
    // attribute, and htmx only sends a button's name=value (goto=N) for buttons it processed.
    if (window.htmx) window.htmx.process(fresh);
    if (focusedOrder) {
      var again = fresh.querySelector('.pal[data-order="' + focusedOrder + '"]');
      if (again) again.focus({ preventScroll: true });
    }
  }

  function markPaletteAnswered(order) {
    var btn = document.querySelector('#palette .pal[data-order="' + order + '"]');
    if (!btn) return;
    if (btn.classList.contains("marked")) btn.classList.replace("marked", "answered-marked");
    else if (!btn.classList.contains("answered-marked")) {
      btn.classList.remove("not-visited", "not-answered");
      btn.classList.add("answered");
    }
  }

  function postPick(order, choice) {
    var form = answerForm();
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append("order", order);
    body.append("choice", choice);
    body.append("action", "pick");
    var url = form ? form.getAttribute("action") : null;
    if (!url) return Promise.reject(new Error("no form"));
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      return response.text().then(function (text) {
        if (response.ok) return text;
        var error = new Error(text || "The server refused this answer.");
        error.status = response.status;
        throw error;
      });
    });
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      flush();
    }, 5000);
  }

  // Send every pending pick, oldest question first; resolves when nothing is pending.
  function flush() {
    if (flushing) return flushing;
    var pending = loadPending();
    var orders = Object.keys(pending);
    if (!orders.length) return Promise.resolve();
    setStatus("Saving…");
    flushing = orders
      .reduce(function (chain, order) {
        return chain.then(function () {
          return postPick(order, pending[order]).then(function (html) {
            var now = loadPending();
            if (now[order] === pending[order]) delete now[order];
            savePending(now);
            swapPalette(html);
          });
        });
      }, Promise.resolve())
      .then(function () {
        flushing = null;
        setStatus("All answers saved.", "ok");
      })
      .catch(function (error) {
        flushing = null;
        if (error.status) {
          // Refused by the server (time up, submitted, bad value): keeping it would not help.
          savePending({});
          refused(error.message, error.status);
          throw error;
        }
        setStatus(
          "Not saved yet — connection lost. Your answers are kept on this device and will be " +
            "sent when you are back online.",
          "error"
        );
        scheduleRetry();
        throw error;
      });
    return flushing;
  }

  function refused(message, status) {
    setStatus(message, "error");
    if (status === 409) {
      // Submitted or out of time: the result page says what was kept.
      document.body.dataset.examDone = "1"; // exam.js: leaving now needs no warning
      setTimeout(function () {
        window.location.href = window.location.pathname.replace(/\/?$/, "/") + "result/";
      }, 2500);
    }
  }

  function queuePick(order, choice) {
    var pending = loadPending();
    pending[order] = choice;
    savePending(pending);
    markPaletteAnswered(order);
    flush().catch(function () {});
  }

  if (mode === "mock") {
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (!(input instanceof HTMLInputElement) || input.name !== "choice") return;
      var form = answerForm();
      if (!form || !form.contains(input)) return;
      queuePick(form.dataset.order, input.value);
    });
    window.addEventListener("online", function () {
      flush().catch(function () {});
    });
    // After a reload: send what an earlier page could not, then show it as chosen.
    var leftover = loadPending();
    if (Object.keys(leftover).length) {
      var form = answerForm();
      if (form && leftover[form.dataset.order] !== undefined) {
        var radio = form.querySelector(
          'input[name=choice][value="' + leftover[form.dataset.order] + '"]'
        );
        if (radio) radio.checked = true;
      }
      Object.keys(leftover).forEach(markPaletteAnswered);
      flush().catch(function () {});
    }
  }

  // ---- htmx navigation: wait for pending saves; report refusals -------------------------
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!elt || elt.id !== "answer-form" || !Object.keys(loadPending()).length) return;
    event.preventDefault();
    // The button pressed (goto=N, action=…) may be swapped out with the palette meanwhile,
    // and htmx would then send the form without it: keep its name=value in the form.
    var trigger = event.detail.triggeringEvent;
    var submitter = trigger && trigger.submitter;
    flush()
      .catch(function () {})
      .then(function () {
        if (submitter && submitter.name && !document.contains(submitter)) {
          var keep = document.createElement("input");
          keep.type = "hidden";
          keep.name = submitter.name;
          keep.value = submitter.value;
          elt.appendChild(keep);
        }
        event.detail.issueRequest();
      });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || elt.id !== "answer-form" || !event.detail.successful) return;
    // The post carried the current question's choice: nothing older may be re-sent for it.
    var pending = loadPending();
    delete pending[elt.dataset.order];
    savePending(pending);
    setStatus("", "");
  });

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    refused(xhr.responseText || "That could not be saved.", xhr.status);
  });

  document.addEventListener("htmx:sendError", function (event) {
    var form = answerForm();
    if (form && mode === "mock") {
      var checked = form.querySelector("input[name=choice]:checked");
      if (checked) {
        var pending = loadPending();
        pending[form.dataset.order] = checked.value;
        savePending(pending);
        scheduleRetry();
      }
    }
    setStatus(
      "No connection: your answer is kept on this device. Try again when you are back online.",
      "error"
    );
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "exam") {
      var heading = document.getElementById("q-title");
      if (heading) {
        heading.focus({ preventScroll: true });
        var top = heading.getBoundingClientRect().top;
        if (top < 0 || top > window.innerHeight / 2) heading.scrollIntoView({ block: "center" });
      }
    }
  });

  // ---- submit: confirm with a summary, never lose a pending save --------------------------
  var submitForm = document.getElementById("submit-form");
  var submitting = false;

  function submitNow(timeout) {
    if (submitting || !submitForm) return;
    submitting = true;
    document.body.dataset.examDone = "1"; // exam.js: leaving now needs no warning
    if (timeout) submitForm.elements.timeout.value = "1";
    else if (submitForm.elements.confirm) submitForm.elements.confirm.value = "1"; // asked here
    flush()
      .catch(function () {})
      .then(function () {
        HTMLFormElement.prototype.submit.call(submitForm);
      });
  }

  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (mode === "practice") {
        var count = document.querySelectorAll("#palette .palette .pal").length;
        var done = document.querySelectorAll(
          "#palette .palette .pal.right, #palette .palette .pal.wrong"
        ).length;
        if (done < count) {
          var left = count - done;
          var ask =
            "Finish practice now?\n\n" + left + " of " + count + " question" +
            (count === 1 ? "" : "s") + " not answered: they count as blank.";
          if (!window.confirm(ask)) return;
        }
      } else if (mode === "mock") {
        var total = document.querySelectorAll("#palette .palette .pal").length;
        var answered = document.querySelectorAll(
          "#palette .palette .pal.answered, #palette .palette .pal.answered-marked"
        ).length;
        var marked = document.querySelectorAll(
          "#palette .palette .pal.marked, #palette .palette .pal.answered-marked"
        ).length;
        var text =
          "Submit the test now?\n\nAnswered: " + answered + " of " + total +
          "\nNot answered: " + (total - answered) +
          "\nMarked for review: " + marked +
          "\n\nYou cannot change answers after submitting.";
        if (!window.confirm(text)) return;
      }
      submitNow(false);
    });
  }

  // ---- countdown ---------------------------------------------------------------------------
  var timer = document.getElementById("timer");
  if (timer) {
    var deadline = Number(timer.dataset.deadlineMs);
    var skew = Number(timer.dataset.nowMs) - Date.now(); // server clock minus device clock
    var valueEl = document.getElementById("timer-value");
    var announceEl = document.getElementById("timer-announce");
    var announced = {};

    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };

    var tick = function () {
      var left = Math.max(0, Math.round((deadline - (Date.now() + skew)) / 1000));
      var h = Math.floor(left / 3600);
      var m = Math.floor((left % 3600) / 60);
      var s = left % 60;
      valueEl.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
      timer.classList.toggle("low", left <= 300 && left > 60);
      timer.classList.toggle("critical", left <= 60);
      [300, 60].forEach(function (mark) {
        if (left <= mark && left > mark - 5 && !announced[mark] && announceEl) {
          announced[mark] = true;
          announceEl.textContent = mark / 60 + " minute" + (mark > 60 ? "s" : "") + " left.";
        }
      });
      if (left <= 0) {
        clearInterval(interval);
        valueEl.textContent = "0:00";
        setStatus("Time is up: submitting your test…", "error");
        submitNow(true);
      }
    };
    var interval = setInterval(tick, 500);
    tick();
  }
})();
