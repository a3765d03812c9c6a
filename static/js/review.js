/* Flashcard review keyboard: Space/Enter show the answer, 1–4 rate, U undoes.
   Progressive enhancement only: without this file the <details> reveal and the plain forms
   work the same way (htmx swaps the next card in; without htmx the forms post and redirect). */
(function () {
  "use strict";

  var shownAt = Date.now();
  var busy = false;

  function session() {
    return document.getElementById("review-session");
  }

  function reveal() {
    var root = session();
    var details = root && root.querySelector(".flashcard-reveal");
    if (!details || details.open) return false;
    details.open = true;
    markRevealed(details);
    var card = root.querySelector("#flashcard");
    if (card) card.focus({ preventScroll: true });
    return true;
  }

  function markRevealed(details) {
    var card = details.closest(".flashcard");
    if (card) card.classList.toggle("is-revealed", details.open);
  }

  function isRevealed() {
    var root = session();
    var details = root && root.querySelector(".flashcard-reveal");
    return !!(details && details.open);
  }

  function isTyping(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable='true']");
  }

  function isControl(target) {
    return !!(target && target.closest && target.closest("a, button, summary"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target) || !session()) return;
    var key = event.key;
    if (key === " " || key === "Spacebar" || key === "Enter") {
      // On a focused link or button, Space/Enter keep their usual meaning.
      if (isControl(event.target) && !event.target.closest("summary.reveal-button")) return;
      if (reveal()) event.preventDefault();
      return;
    }
    if (busy) return;
    if (key >= "1" && key <= "4") {
      if (!isRevealed()) return; // like Anki: rate only after seeing the answer
      var button = session().querySelector('.rating-form button[data-key="' + key + '"]');
      if (button) {
        event.preventDefault();
        // A key can beat htmx to a card just swapped in: bind its form first (idempotent),
        // or the click would post it natively and reload the page.
        if (window.htmx) window.htmx.process(session());
        button.click();
      }
      return;
    }
    if (key === "u" || key === "U") {
      var undo = session().querySelector("[data-undo]");
      if (undo) {
        event.preventDefault();
        if (window.htmx) window.htmx.process(session());
        undo.click();
      }
    }
  });

  document.addEventListener(
    "toggle",
    function (event) {
      if (event.target.classList && event.target.classList.contains("flashcard-reveal")) {
        markRevealed(event.target);
      }
    },
    true
  );

  // How long the learner looked at the card: sent with the rating (the server clamps it).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList && form.classList.contains("rating-form")) {
      var field = form.querySelector('input[name="duration_ms"]');
      if (field) field.value = String(Math.max(0, Date.now() - shownAt));
    }
  }, true);

  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.classList && form.classList.contains("rating-form")) {
      event.detail.parameters["duration_ms"] = String(Math.max(0, Date.now() - shownAt));
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target && event.detail.target.id === "review-session") busy = true;
  });

  document.addEventListener("htmx:afterRequest", function () {
    busy = false;
  });

  // A refused rating (409: already rated, not due) still carries the current card: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (event.detail.target && event.detail.target.id === "review-session" && status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || !session()) return;
    shownAt = Date.now();
    var card = document.getElementById("flashcard");
    if (card) {
      card.focus({ preventScroll: true });
      var top = card.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight * 0.6) {
        card.scrollIntoView({ block: "start", behavior: "smooth" });
      }
    }
  });
})();
