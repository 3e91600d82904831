// The print buttons of pages with slips to hand out: shown only when they work (an inline handler would be
// refused by the CSP, and without scripts the browser's own Print does the same).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
