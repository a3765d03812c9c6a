/* studyapp: small progressive enhancements; every page works without this file.
   Base behaviour only (navigation, confirmations). Page scripts live in static/js/<area>.js. */
(function () {
  "use strict";

  // The phone menu is a CSS-only checkbox toggle; Escape closes it and returns focus.
  document.addEventListener("keydown", function (event) {
    var toggle = document.getElementById("nav-toggle");
    if (event.key === "Escape" && toggle && toggle.checked) {
      toggle.checked = false;
      toggle.focus();
    }
  });

  // ---- flash messages: read out and brought into view ----------------------------------------
  // A message the server put in the page (#messages) or an htmx swap brought (a `.message` with
  // role status or alert) is copied into an empty live region, so a screen reader says it, and
  // scrolled into view when it is off screen (e.g. a notice at the top of a long section whose
  // button is at the bottom, or a page the browser restored scrolled down).
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function announce(message) {
    var urgent = message.getAttribute("role") === "alert" || message.classList.contains("error");
    var region = document.getElementById(urgent ? "announce-alert" : "announce-polite");
    var text = (message.textContent || "").trim();
    if (!region || !text) return;
    region.textContent = "";
    // A change after a tick is announced even when the same words were said before.
    window.setTimeout(function () {
      region.textContent = text;
    }, 100);
  }

  function reveal(message) {
    var box = message.getBoundingClientRect();
    var header = document.querySelector(".site-header");
    var top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    if (box.top < top || box.bottom > window.innerHeight) {
      message.scrollIntoView({ block: "nearest", behavior: still ? "auto" : "smooth" });
    }
  }

  function show(messages) {
    if (!messages.length) return;
    messages.forEach(announce);
    reveal(messages[0]);
  }

  function pageMessages() {
    return Array.prototype.slice.call(document.querySelectorAll("#messages .message"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      show(pageMessages());
    });
  } else {
    show(pageMessages());
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail && event.detail.elt;
    if (!root || !root.querySelectorAll) return;
    var found = Array.prototype.slice.call(
      root.querySelectorAll(".message[role=status], .message[role=alert]")
    );
    if (root.matches && root.matches(".message[role=status], .message[role=alert]")) {
      found.unshift(root);
    }
    show(found);
  });

  // ---- tables and charts wider than their box ---------------------------------------------
  // A .table-wrap (or the heatmap's box) scrolls sideways when its content is wider (phones,
  // long pairs): then it takes the keyboard focus and a name, so it can be scrolled without a
  // mouse (WCAG 2.1.1).
  var MARK = "data-scroll-focus";

  function markScrollers() {
    document.querySelectorAll(".table-wrap, .heatmap-scroll").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption, svg title");
        wrap.setAttribute(MARK, "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute(
          "aria-label",
          (caption && caption.textContent.trim()) || "Table, scrolls sideways"
        );
      } else if (!scrolls && wrap.hasAttribute(MARK)) {
        [MARK, "tabindex", "role", "aria-label"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }

  var pending = false;
  function markSoon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      markScrollers();
    });
  }
  window.addEventListener("load", markScrollers);
  window.addEventListener("resize", markSoon);
  document.addEventListener("htmx:afterSettle", markSoon);

  // <form data-confirm="Are you sure?"> asks before submitting (the server still validates).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
