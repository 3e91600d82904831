// A link back from the full text lands on a question's answer, inside closed "Answer and source" and "Source"
// sections: open them, so the answer and passage read before are in view again.
(function () {
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) return;
    var sections = Array.prototype.slice.call(target.querySelectorAll("details"));
    for (var around = target.closest("details"); around; around = around.parentElement.closest("details")) {
      sections.push(around);
    }
    if (!sections.length) return;
    sections.forEach(function (section) { section.open = true; });
    target.scrollIntoView();
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
