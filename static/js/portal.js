// Small behaviours shared by every page. Loaded as a file (no inline script, for the CSP).
(function () {
  "use strict";
  // The language switch submits itself when a language is picked.
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
})();
