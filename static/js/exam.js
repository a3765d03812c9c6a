/* studyapp exam mode (timed mocks and test-series papers): a warning before leaving the page
   while the clock runs, and an optional full screen. The page works without this file; the
   server keeps the deadline either way. prelims.js sets data-exam-done on <body> when the
   test is submitted (by the learner or the clock), so leaving then is never questioned. */
(function () {
  "use strict";

  var body = document.body;
  if (!body || !body.classList.contains("exam-mode")) return;

  function done() {
    return body.dataset.examDone === "1";
  }

  window.addEventListener("beforeunload", function (event) {
    if (done()) return;
    event.preventDefault();
    // Browsers show their own text; returnValue must be set for older ones to ask at all.
    event.returnValue = "";
  });

  // The server ends the test for an htmx request with HX-Redirect (submitted or out of time).
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Redirect")) body.dataset.examDone = "1";
  });

  var button = document.getElementById("fullscreen-toggle");
  var root = document.documentElement;
  if (button && document.fullscreenEnabled && root.requestFullscreen) {
    button.hidden = false;
    var label = function () {
      button.textContent = document.fullscreenElement ? "Exit full screen" : "Full screen";
    };
    button.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        root.requestFullscreen().catch(function () {});
      }
    });
    document.addEventListener("fullscreenchange", label);
    label();
  }
})();
