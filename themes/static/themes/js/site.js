// Site chrome: the mobile menu toggle. Everything works without JavaScript; this only folds the menu.
(function () {
  "use strict";
  document.documentElement.classList.add("js"); // without JavaScript the menu simply stays open
  var toggle = document.querySelector("[data-nav-toggle]");
  if (!toggle) return;
  var nav = document.getElementById(toggle.getAttribute("aria-controls"));
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  });
})();
