// Copy buttons: <button data-copy="element-id" data-copied="Kopiert">. Copies the element's href or text and
// says so in the status element next to the button. No inline script (strict CSP).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      const text = source.href || source.textContent.trim();
      const status = button.parentElement.querySelector("[role=status]");
      const done = function () { if (status) status.textContent = button.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { select(source); });
      } else {
        select(source);  // plain http: select the link so Ctrl+C / long-press copies it
      }
    });
  });
  function select(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
