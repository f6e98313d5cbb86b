// Site chrome: the mobile menu toggle. Everything works without JavaScript; this only folds the menu.
// Esc closes an open menu and gives the focus back to its button (WAI-ARIA disclosure pattern).
(function () {
  "use strict";
  document.documentElement.classList.add("js"); // without JavaScript the menu simply stays open
  var toggle = document.querySelector("[data-nav-toggle]");
  if (!toggle) return;
  var nav = document.getElementById(toggle.getAttribute("aria-controls"));
  var setOpen = function (open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  };
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
    setOpen(false);
    toggle.focus();
  });
})();
