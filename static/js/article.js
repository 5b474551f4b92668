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
// The comment form of a page every reader shares (submissions/pagecache.py) carries no token of
// its own: it fetches the reader's CSRF token and start stamp when they begin to write, or at the
// latest when they send. If that fails, the form is sent anyway and the server gives it back with
// the text kept and a token in place (submissions/views/errors.py).
(function () {
  "use strict";
  var form = document.querySelector("form[data-form-token]");
  if (!form) { return; }
  var field = function (name) {
    var input = form.querySelector('input[name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    return input;
  };
  if (field("csrfmiddlewaretoken").value) { return; }  // a page of the reader's own
  var pending = null;
  var fetchToken = function () {
    if (!pending) {
      pending = fetch(form.getAttribute("data-form-token"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          field("csrfmiddlewaretoken").value = data.csrfmiddlewaretoken;
          field("started").value = data.started;
        })
        .catch(function () { pending = null; });
    }
    return pending;
  };
  form.addEventListener("focusin", fetchToken);
  form.addEventListener("submit", function (event) {
    if (field("csrfmiddlewaretoken").value) { return; }
    event.preventDefault();
    fetchToken().then(function () { form.submit(); }, function () { form.submit(); });
  });
})();
