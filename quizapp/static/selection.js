// The assignment form: ticking a topic, a tag or a question chooses the selection by that list, so the tick is
// not left behind another choice (without script, the server refuses such ticks and says what to do). The focus
// stays on the box; the radio button shows the change, and screen readers hear it once, when it happens.
(function () {
  "use strict";

  var form = document.querySelector("form[data-selection-follows-ticks]");
  if (!form) return;
  var said = form.querySelector("[data-selection-said]");

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type !== "checkbox" || !box.checked) return;
    var radio = form.querySelector('input[type="radio"][name="selection"][value="' + CSS.escape(box.name) + '"]');
    if (!radio || radio.checked) return;
    radio.checked = true;
    if (said && radio.labels.length) said.textContent = "Questions from: " + radio.labels[0].textContent.trim() + ".";
  });
})();
