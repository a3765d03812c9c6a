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

  // <form data-confirm="Are you sure?"> asks before submitting (the server still validates).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
