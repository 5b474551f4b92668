// The article page: print, and copy the link for sharing (WeChat's browser shares from its own menu).
// Both are plain links without script: to the print page, and to the article's address.
(function () {
  "use strict";
  var printButton = document.querySelector("[data-print]");
  if (printButton) {  // a link to the print page; with script, this page prints itself
    printButton.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  }
  var copyButton = document.querySelector("[data-copy-link]");
  var status = document.querySelector("[data-copy-status]");
  if (copyButton) {
    copyButton.addEventListener("click", function (event) {
      event.preventDefault();  // a plain link to the article's address without script (long-press to copy)
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
// The reading count (submissions/viewcounts.py): once the page is shown, ask the beacon for a
// token of this reader's own (the page is shared by every reader and carries none), then post
// it back; the answer is the current count. Nothing is shown if either request fails.
(function () {
  "use strict";
  var views = document.querySelector("[data-read]");
  if (!views || !window.fetch) { return; }
  var url = views.getAttribute("data-read");
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(function (tokens) {
      return fetch(url + "?count=1", {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokens.csrfmiddlewaretoken, "Content-Type": "application/x-www-form-urlencoded" },
        body: "token=" + encodeURIComponent(tokens.token)
      });
    })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      var number = views.querySelector("[data-views]");
      if (data && number && typeof data.views === "number") { number.textContent = String(data.views); }
    })
    .catch(function () {});
})();
