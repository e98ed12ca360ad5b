// Behaviour of the pages, kept out of the HTML so that the Content Security Policy can refuse every
// inline script and event handler.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
// The top menu is a <details>: folded behind "Menu" on a phone, open (its summary hidden) on a wide screen.
const wideMenu = window.matchMedia("(min-width: 1000px)");
function placeMenu() {
  document.querySelectorAll("details[data-wide-open]").forEach((menu) => {
    menu.classList.toggle("wide", wideMenu.matches);
    if (wideMenu.matches) menu.open = true;
  });
}
document.addEventListener("DOMContentLoaded", placeMenu);
wideMenu.addEventListener("change", placeMenu);
// A button with data-confirm asks before its form is sent (cancel, withdraw: no way back).
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const text = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (text && !window.confirm(text)) {
    event.preventDefault();
  }
});
// An anonymous complaint: the name and phone fields are hidden (the server drops them anyway).
function showIdentity(box) {
  document.querySelectorAll("[data-identity]").forEach((input) => {
    (input.closest(".field") || input).hidden = box.checked;
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("input[data-anonymous]")) showIdentity(event.target);
});
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("input[data-anonymous]");
  if (box) showIdentity(box);
});
// A refused form: the error summary takes the focus, so that a screen reader reads it first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
