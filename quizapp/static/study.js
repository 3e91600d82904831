// Keyboard study: Space or Enter shows the answer, 1-4 rate the card, U undoes the last rating. Plain buttons do the
// same without script.
(function () {
  "use strict";

  function typingIn(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && !["radio", "checkbox", "submit", "button"].includes(element.type));
  }

  function onFront(event, front) {
    // Space shows a flashcard's answer; on a card to answer it scrolls as usual, where it would send a blank answer.
    var reveals = event.key === "Enter" || (event.key === " " && front.hasAttribute("data-space-reveals"));
    if (reveals && !typingIn(event.target) &&
        !(event.target instanceof HTMLInputElement) && !(event.target instanceof HTMLButtonElement) &&
        !(event.target instanceof HTMLAnchorElement)) {
      event.preventDefault();
      front.requestSubmit(front.querySelector("[data-reveal]"));
    }
  }

  function onBack(event, rate) {
    var button = rate.querySelector('button[data-key="' + event.key + '"]');
    if (button && !typingIn(event.target)) {
      event.preventDefault();
      rate.requestSubmit(button);
    }
  }

  function onUndo(event, undo) {
    // Sent once: a second press would find the rating undone already and say that nothing was undone.
    if ((event.key === "u" || event.key === "U") && !typingIn(event.target) && !undo.hasAttribute("data-sent")) {
      event.preventDefault();
      undo.setAttribute("data-sent", "");
      undo.requestSubmit();
    }
  }

  document.addEventListener("keydown", function (event) {
    var front = document.getElementById("study-front");
    var rate = document.getElementById("study-rate");
    var undo = document.getElementById("study-undo");
    // Enter held down on the front repeats on the back, where it would press the focused suggestion unseen.
    if (event.repeat && rate && event.key === "Enter") event.preventDefault();
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (front) onFront(event, front);
    if (rate) onBack(event, rate);
    if (undo) onUndo(event, undo);
  });

  // The keys these hints name work only with this script.
  document.querySelectorAll("[data-needs-script][hidden]").forEach(function (hint) { hint.hidden = false; });

  // A new card takes the focus, so that a screen reader reads it and Tab reaches its answer next instead of
  // passing the site's links first; the heading does not open a phone's keyboard as a field would.
  var cardHeading = document.querySelector("#study-front") && document.getElementById("card-heading");
  if (cardHeading && !document.querySelector("#study-front [autofocus]")) {
    cardHeading.setAttribute("tabindex", "-1");
    cardHeading.focus({ preventScroll: true });
  }

  // The suggested rating takes the focus so Enter gives it, but the page stays at its top: autofocus would scroll
  // a long back down to the buttons, past the verdict, the answers and the explanation.
  var suggested = document.querySelector("#study-rate [data-suggested]");
  if (suggested) suggested.focus({ preventScroll: true });

  // Settings: offer the time zone this device reports.
  var useZone = document.getElementById("use-device-zone");
  var select = document.getElementById("timezone");
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (useZone && select && zone && select.querySelector('option[value="' + zone + '"]')) {
    useZone.textContent = "Use this device's time zone (" + zone + ")";
    useZone.parentElement.hidden = false;
    useZone.addEventListener("click", function () { select.value = zone; select.focus(); });
  }
})();
