// The article page: print, and copy the link for sharing (WeChat's browser shares from its own menu).
(function () {
  "use strict";
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
  var copyButton = document.querySelector("[data-copy-link]");
  var status = document.querySelector("[data-copy-status]");
  if (copyButton) {
    copyButton.addEventListener("click", function () {
      var url = copyButton.getAttribute("data-copy-link");
      var done = function () { if (status) { status.textContent = copyButton.getAttribute("data-copied"); } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { window.prompt("", url); });
      } else {
        window.prompt("", url);
      }
    });
  }
})();
