// 从 Word 导入 of an old .doc / .wps (templates/calls/_word_job.html): while the worker converts the
// document, ask its status now and then; once it is done (or failed, or gone), press the page's
// "查看读取结果" button, which posts the whole form (what was typed meanwhile included) and brings
// back the filled form or the reason under the document field. Without this file the submitter
// presses the button.
(function () {
  "use strict";
  var box = document.querySelector("[data-word-job]");
  if (!box || !window.fetch) { return; }
  var button = box.querySelector("[data-word-job-continue]");
  var text = box.querySelector("[data-word-job-text]");
  var url = box.getAttribute("data-status-url");
  var started = Date.now();
  var SLOW = 90000; // after this, say so (the worker may be busy); keep asking
  var GIVE_UP = 600000; // the job is kept an hour; the page stops asking after ten minutes
  var said = false;
  function proceed() {
    if (button.form && button.form.requestSubmit) {
      button.form.requestSubmit(button);
    } else {
      button.click();
    }
  }
  function later() {
    var waited = Date.now() - started;
    if (waited > SLOW && !said && text) {
      said = true;
      text.textContent = box.getAttribute("data-slow") || text.textContent;
    }
    if (waited < GIVE_UP) {
      window.setTimeout(ask, waited < 10000 ? 1000 : 3000);
    }
  }
  function ask() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { state: "queued" }; })
      .then(function (answer) {
        if (answer.state === "queued" || answer.state === "running") {
          later();
        } else {
          proceed();
        }
      }, later);
  }
  window.setTimeout(ask, 1000);
})();
