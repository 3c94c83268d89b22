// The header navigation on phones: a menu button that shows and hides the links. Loaded in <head> without
// defer so the page is marked before it is drawn; without script the links simply stay visible.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    const button = document.querySelector(".menu-toggle");
    const nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    const close = function () { button.setAttribute("aria-expanded", "false"); nav.classList.remove("is-open"); };
    button.addEventListener("click", function () {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) { close(); button.focus(); }
    });
  });
})();
