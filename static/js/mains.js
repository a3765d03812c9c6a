/* Mains answer writing: live word count, a countdown that warns but never blocks, autosave.

   The write page works without this file (Save draft / Submit). With it:
   - the word count updates as you type (counted as quizzes/coverage.py counts: whitespace-
     separated chunks that contain a letter or digit);
   - the suggested time counts down and then counts up "over time", never stopping you;
   - the draft is saved to the server every few seconds while you type (fetch), and when the
     page is hidden or left (navigator.sendBeacon), so a reload, a closed tab or a lost
     connection loses at most a few seconds;
   - every keystroke is also kept in localStorage; after a reload the browser's copy is put
     back if it is newer than the server's draft (e.g. the connection was down).
   On the answer page it forgets the browser's copy of the answer just submitted. */
(function () {
  "use strict";

  var SAVE_IDLE_MS = 1500; // save this long after typing stops…
  var SAVE_MAX_MS = 5000; // …and at least this often while typing goes on
  var RETRY_MS = 8000; // after a network failure

  function countWords(text) {
    var n = 0;
    text.split(/\s+/).forEach(function (chunk) {
      if (/[\p{L}\p{N}]/u.test(chunk)) n += 1;
    });
    return n;
  }

  function readStore(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function writeStore(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* storage full or disabled: the server copy still works */
    }
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function timeOfDay(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  /* --- the answer page: forget the local copy of an answer that was submitted ---------- */
  function clearSubmitted() {
    var head = document.querySelector("[data-clear-draft]");
    if (!head) return;
    var key = head.dataset.clearDraft;
    var entry = readStore(key);
    if (!entry) return;
    // This answer's copy, or one never saved to the server and written before this answer was
    // submitted (a minute's slack for the clocks); a newer unsaved draft is left alone.
    var submittedAt = parseInt(head.dataset.submittedAt, 10) || 0;
    if (
      String(entry.answer) === head.dataset.answerId ||
      (!entry.answer && entry.at <= submittedAt + 60000)
    ) {
      writeStore(key, null);
    }
  }

  /* --- the write page ------------------------------------------------------------------ */
  function setUp(form) {
    var textarea = form.querySelector("textarea[name=text]");
    var answerInput = form.querySelector("input[name=answer]");
    var countBox = form.querySelector("#answer-count");
    var countNum = form.querySelector("[data-words]");
    var countNote = form.querySelector("[data-words-note]");
    var timerBox = form.querySelector("#answer-timer");
    var timerText = form.querySelector("[data-timer]");
    var timerLabel = form.querySelector("[data-timer-label]");
    var status = form.querySelector("[data-save-status]");
    var restored = form.querySelector("[data-restored]");
    var url = form.dataset.autosaveUrl;
    var key = form.dataset.storageKey;
    var limit = parseInt(form.dataset.wordLimit, 10);
    var maxWords = parseInt(form.dataset.maxWords, 10);
    var limitSeconds = parseInt(form.dataset.limitSeconds, 10);
    var startSeconds =
      parseInt(form.dataset.baseSeconds, 10) + parseInt(form.dataset.elapsedSeconds, 10);
    var loadedAt = Date.now();
    var serverSavedAt = parseInt(form.dataset.savedAt, 10) || 0;
    var lastSubmittedAt = parseInt(form.dataset.lastSubmittedAt, 10) || 0;
    var serverText = textarea.value;

    var savedText = textarea.value; // what the server has, as far as we know
    var inFlight = false;
    var stopped = false; // a refusal that typing cannot fix (submitted elsewhere, 404)
    var submitting = false;
    var idleTimer = null;
    var dirtySince = 0;
    var lastError = "";

    var announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "assertive");
    form.appendChild(announcer);

    function setStatus(text, state) {
      status.textContent = text;
      if (state) status.dataset.state = state;
      else delete status.dataset.state;
    }

    /* word count */
    function updateCount() {
      var words = countWords(textarea.value);
      countNum.textContent = words;
      var state = "ok";
      var note = "";
      if (words > maxWords) {
        state = "over";
        note = "too long to save (at most " + maxWords.toLocaleString() + " words)";
      } else if (words > limit) {
        state = "over";
        note = words - limit + " over the limit";
      } else if (words >= limit * 0.9) {
        state = "near";
        note = limit - words + " left";
      }
      countBox.dataset.state = state;
      countNote.textContent = note;
    }

    /* countdown: warns at one minute left and when time is up, never blocks */
    var warned = { near: false, over: false };
    function updateTimer() {
      var spent = startSeconds + (Date.now() - loadedAt) / 1000;
      var left = limitSeconds - spent;
      if (left >= 0) {
        timerText.textContent = clock(left);
        timerLabel.textContent = "left of the suggested " + Math.round(limitSeconds / 60) + " min";
        timerBox.dataset.state = left <= 60 ? "near" : "ok";
        if (left <= 60 && !warned.near) {
          warned.near = true;
          announcer.textContent = "One minute of the suggested time left.";
        }
      } else {
        timerText.textContent = "+" + clock(-left);
        timerLabel.textContent = "over the suggested time — keep going, nothing is blocked";
        timerBox.dataset.state = "over";
        if (!warned.over) {
          warned.over = true;
          announcer.textContent = "The suggested time is up. You can keep writing.";
        }
      }
    }

    /* local copy */
    function keepLocal() {
      writeStore(key, {
        text: textarea.value,
        answer: answerInput.value || null,
        base: serverSavedAt,
        at: Date.now(),
      });
    }

    function restoreLocal() {
      var entry = readStore(key);
      if (!entry || typeof entry.text !== "string" || entry.text === serverText) return;
      var draftId = answerInput.value || null;
      var newer;
      if (entry.answer && draftId) {
        // Same draft: newer if the server has saved nothing the local copy did not know of;
        // if it has (a last save sent as the page closed), compare the clocks. Either way the
        // learner can switch back to the server's text.
        newer =
          String(entry.answer) === String(draftId) &&
          (entry.base >= serverSavedAt || entry.at > serverSavedAt);
      } else if (entry.answer && !draftId) {
        newer = false; // that draft was submitted since: the copy belongs to an old answer
      } else if (!entry.answer && draftId) {
        newer = entry.at > serverSavedAt; // typed before any save came back; compare clocks
      } else {
        // Nothing on the server yet: unless the copy predates the last submitted answer.
        newer = entry.at > lastSubmittedAt;
      }
      if (!newer) {
        writeStore(key, null);
        return;
      }
      var previous = textarea.value;
      textarea.value = entry.text;
      restored.hidden = false;
      restored.textContent =
        "Restored the text kept in this browser (" +
        countWords(entry.text) +
        " words, newer than the saved draft). ";
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "button secondary small";
      undo.textContent = "Use the saved draft instead";
      undo.addEventListener("click", function () {
        textarea.value = previous;
        restored.hidden = true;
        changed();
      });
      restored.appendChild(undo);
    }

    /* server saves */
    function payload() {
      var data = new FormData(form);
      data.delete("action");
      data.delete("pages"); /* uploaded pages go with Save draft / Submit, not every autosave */
      return data;
    }

    function save() {
      if (inFlight || stopped || submitting) return;
      var text = textarea.value;
      if (text === savedText) return;
      if (countWords(text) > maxWords) {
        setStatus("Too long to save — shorten it. Your text is kept in this browser.", "error");
        return;
      }
      inFlight = true;
      setStatus("Saving…");
      fetch(url, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (response.redirected) {
            // login_required sent us to the login page: the session has ended.
            return {
              ok: false,
              status: 401,
              data: { error: "You have been logged out: log in again in another tab." },
            };
          }
          return response
            .json()
            .catch(function () {
              return { error: "The server did not answer properly (" + response.status + ")." };
            })
            .then(function (data) {
              return { ok: response.ok && Boolean(data.answer), status: response.status, data: data };
            });
        })
        .then(function (result) {
          inFlight = false;
          if (result.ok) {
            lastError = "";
            savedText = text;
            answerInput.value = result.data.answer;
            serverSavedAt = result.data.saved_at;
            keepLocal();
            setStatus("Saved at " + timeOfDay(result.data.saved_at) + " · " + result.data.words + " words");
            if (textarea.value !== savedText) schedule();
            return;
          }
          lastError = result.data.error || "Could not save (" + result.status + ").";
          if (result.status === 409 || result.status === 404 || result.status === 403) {
            stopped = true;
            setStatus(lastError, "error");
            if (result.data.answer_url) {
              var link = document.createElement("a");
              link.href = result.data.answer_url;
              link.textContent = " Open the submitted answer.";
              status.appendChild(link);
            }
          } else {
            setStatus(lastError + " Your text is kept in this browser.", "error");
          }
        })
        .catch(function () {
          inFlight = false;
          setStatus("Offline — your text is kept in this browser; retrying…", "error");
          window.setTimeout(save, RETRY_MS);
        });
    }

    function schedule() {
      if (!dirtySince) dirtySince = Date.now();
      window.clearTimeout(idleTimer);
      var wait = Math.min(SAVE_IDLE_MS, Math.max(0, dirtySince + SAVE_MAX_MS - Date.now()));
      idleTimer = window.setTimeout(function () {
        dirtySince = 0;
        save();
      }, wait);
    }

    function changed() {
      updateCount();
      keepLocal();
      if (!stopped) schedule();
    }

    /* leaving: a last save that survives the page going away */
    function flush() {
      if (submitting || stopped || textarea.value === savedText) return;
      if (countWords(textarea.value) > maxWords || !navigator.sendBeacon) return;
      keepLocal();
      if (navigator.sendBeacon(url, payload())) savedText = textarea.value;
    }

    textarea.addEventListener("input", changed);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", flush);
    window.addEventListener("online", save);
    form.addEventListener("submit", function (event) {
      if (submitting) {
        event.preventDefault(); // a second click: the first submit is on its way
        return;
      }
      submitting = true;
      window.clearTimeout(idleTimer);
    });
    // Back/forward cache: the page comes back as it was, so it can save again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) submitting = false;
    });

    restoreLocal();
    updateCount();
    updateTimer();
    window.setInterval(updateTimer, 1000);
    if (textarea.value !== savedText) save();
  }

  /* --- the answer page: a refused assessment or feedback (400/409) carries the form with its
     error message: swap it in like a success (htmx leaves 4xx responses out by default). */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    var target = event.detail.target && event.detail.target.id;
    if ((target === "assessment" || target === "feedback") && (status === 400 || status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function init() {
    clearSubmitted();
    var form = document.getElementById("answer-form");
    if (form && form.dataset.autosaveUrl) setUp(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
