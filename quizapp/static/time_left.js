// The time left on an attempt: counted down every second from what the server said when the page loaded (not
// from the device's clock, which may be wrong). Screen readers hear the ten, five and one minute marks, and the
// end; once the grace for answers on their way is over too, the page reloads and the server says it was handed in.
(function () {
  "use strict";

  var box = document.querySelector("[data-seconds-left]");
  if (!box) return;
  var shown = box.querySelector("[data-time-left]");
  var warning = document.querySelector("[data-time-warning]");
  var timeUp = document.querySelector("[data-time-up]");
  var total = parseInt(box.getAttribute("data-seconds-left"), 10);
  var grace = parseInt(box.getAttribute("data-grace"), 10) || 0;
  var loaded = Date.now();
  var marks = [600, 300, 60];
  var before = total;
  var ended = false;
  var timer = null;

  function inWords(seconds) {  // as quizapp.quiz.deadlines.duration_text writes it
    var hours = Math.floor(seconds / 3600), minutes = Math.floor((seconds % 3600) / 60), secs = seconds % 60;
    if (hours) return hours + " h " + minutes + " min";
    return minutes ? minutes + " min " + secs + " s" : secs + " s";
  }

  function tick() {
    var elapsed = Math.floor((Date.now() - loaded) / 1000);
    var left = Math.max(0, total - elapsed);
    if (left > 0) {
      shown.textContent = inWords(left);
      // A mark crossed while the page is open; one passed before it loaded is not said again on every page.
      var crossed = marks.filter(function (mark) { return left <= mark && before > mark; });
      if (crossed.length) {
        var mark = crossed[crossed.length - 1] / 60;
        warning.textContent = (mark === 1 ? "1 minute" : mark + " minutes") + " left.";
      }
      before = left;
      return;
    }
    shown.textContent = "none";
    if (!ended) {
      ended = true;
      timeUp.textContent = "Time is up: your attempt is being handed in with the answers you saved.";
    }
    if (elapsed >= total + grace + 2) {
      clearInterval(timer);
      window.location.replace(window.location.href);  // a GET, even on a form sent back with its errors
    }
  }

  // Started a moment after the load, so that screen readers have registered the live regions before they change.
  setTimeout(function () {
    if (total > 0 && total <= 60) warning.textContent = "Less than a minute left.";
    timer = setInterval(tick, 1000);
    tick();
  }, 500);
})();
