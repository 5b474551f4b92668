// The receipt's 复制链接: the tracking link copied to the clipboard (navigator.clipboard), or, where
// the browser will not (WeChat's, an insecure page), selected for a long-press copy, with a
// visible word either way. Without this file the link is shown as selectable text and the button
// stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy]");
  var status = document.querySelector("[data-copy-status]");
  if (!button) { return; }
  var input = document.getElementById(button.getAttribute("data-copy"));
  if (!input) { return; }
  function say(name) {
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = status.getAttribute(name) || ""; }, 30);
  }
  function selectText() {
    input.focus();
    input.select();
    try { input.setSelectionRange(0, input.value.length); } catch (e) { /* not a text input */ }
  }
  function fallback() {
    selectText();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    say(copied ? "data-done" : "data-manual");
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { say("data-done"); }, fallback);
    } else {
      fallback();
    }
  });
  input.addEventListener("focus", selectText);
})();
