// The entry form sent with a sign of life (issue 27 item 2): on 提交报送 or 保存草稿 the buttons are
// disabled at once and the pressed one shows the upload's progress ("正在上传 37%"); the form goes
// by XMLHttpRequest and the server's answer replaces the page as a normal post would (the receipt,
// or the form with its errors and the photos it staged). A dropped connection, a stalled upload or
// a 502/503/504 is retried a few times with the same form data: the page's stamp is its one-time
// key (submissions/intake/once.py), so a retry whose first post was stored lands on that receipt.
// Then, if still failing, a message and the buttons enabled again, nothing lost. A second press
// while sending does nothing. Without this file (or without event.submitter) the form posts normally.
(function () {
  "use strict";

  var script = document.currentScript;
  var form = document.querySelector("form[data-entry-form]");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.Promise) { return; }

  var DELAYS = [1000, 3000, 8000];  // waits before the retries
  var STALL_MS = 60000;  // no upload progress for this long: the connection is taken as dropped
  var ANSWER_MS = 120000;  // after the last byte, the server's answer (it checks every photo)
  var SENT = ["submit", "draft"];
  var busy = false;
  // The form's address (form.action would be the buttons named "action").
  var target = new URL(form.getAttribute("action") || window.location.href, window.location.href).href;

  function text(name, value) {
    return (script.getAttribute("data-" + name) || "").replace("{n}", value === undefined ? "" : value);
  }
  function buttons() { return Array.prototype.slice.call(form.querySelectorAll("button[type=submit], input[type=submit]")); }

  function notice(message) {
    var box = form.querySelector("[data-upload-failed]");
    if (!message) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger mt-2";
      box.setAttribute("role", "alert");
      box.setAttribute("data-upload-failed", "");
      var actions = form.querySelector(".entry-actions") || form;
      actions.insertBefore(box, actions.firstChild);
    }
    box.textContent = message;
  }

  // The answer becomes the page, at the address it came from (set first: the new page's links and
  // fragment are its own, as after a normal post).
  function replacePage(xhr) {
    var url = xhr.responseURL || target;
    if (url !== window.location.href) {
      try { window.history.replaceState(null, "", url); } catch (e) { /* another origin: cannot happen for our own answers */ }
    }
    document.open();
    document.write(xhr.responseText);
    document.close();
  }

  function start(submitter) {
    busy = true;
    var label = submitter.textContent;
    var all = buttons();
    all.forEach(function (button) { button.disabled = true; });
    submitter.setAttribute("aria-busy", "true");
    notice("");
    var show = function (message) { submitter.textContent = message; };
    show(text("progress", "0%"));

    function fail() {
      busy = false;
      all.forEach(function (button) { button.disabled = false; });
      submitter.removeAttribute("aria-busy");
      submitter.textContent = label;
      notice(text("failed"));
    }

    function send(data, attempt) {
      var xhr = new XMLHttpRequest();
      var watchdog = null;
      var done = false;
      var wait = function (ms) {
        window.clearTimeout(watchdog);
        watchdog = window.setTimeout(function () { xhr.abort(); }, ms);
      };
      var retry = function () {
        if (done) { return; }
        done = true;
        window.clearTimeout(watchdog);
        if (attempt >= DELAYS.length) { fail(); return; }
        show(text("retrying", attempt + 1));
        window.setTimeout(function () { send(data, attempt + 1); }, DELAYS[attempt]);
      };
      xhr.open("POST", target);
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable && event.total) { show(text("progress", Math.floor((event.loaded * 100) / event.total) + "%")); }
        wait(STALL_MS);
      };
      xhr.upload.onload = function () { show(text("saving")); wait(ANSWER_MS); };
      xhr.onload = function () {
        if (done) { return; }
        if (xhr.status === 0 || xhr.status === 502 || xhr.status === 503 || xhr.status === 504) { retry(); return; }
        done = true;
        window.clearTimeout(watchdog);
        replacePage(xhr);
      };
      xhr.onerror = retry;
      xhr.onabort = retry;
      xhr.ontimeout = retry;
      wait(STALL_MS);
      xhr.send(data);
    }

    var photos = window.portalPhotoShrink;
    var ready = photos ? photos.settled() : Promise.resolve();
    ready.then(function () {
      var data = new FormData(form);
      data.append(submitter.name, submitter.value);
      send(data, 0);
    });
  }

  form.addEventListener("submit", function (event) {
    if (busy) { event.preventDefault(); return; }  // a second press while sending does nothing
    var submitter = event.submitter;
    if (!submitter || !submitter.name || SENT.indexOf(submitter.value) < 0) { return; }  // 从 Word 导入: a plain post
    event.preventDefault();
    start(submitter);
  });
})();
