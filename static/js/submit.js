// The submission form: sections and photos added, removed and reordered in the page; live length
// counters; photo previews; what is typed kept in this browser (localStorage) and restored after a
// reload; after a refused post, the error summary focused and its links moving focus to their fields.
// Without this file the page still works: the formsets' own ORDER and DELETE fields show, and the
// summary's links are anchors to the fields' ids.
(function () {
  "use strict";

  var SKIP = /^(csrfmiddlewaretoken|started|website|attachment_keys|attachment_remove)$|^photos-|-(INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)$/;

  function $all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function field(item, suffix) { return item.querySelector("[name$='-" + suffix + "']"); }

  // Formsets ----------------------------------------------------------------------------------
  function Formset(box, onItem) {
    this.box = box;
    this.list = box.querySelector("[data-items]");
    this.template = box.querySelector("template[data-template]");
    this.total = box.querySelector("input[name$='-TOTAL_FORMS']");
    this.max = parseInt(box.getAttribute("data-max"), 10) || 99;
    this.addButton = box.querySelector("[data-add]");
    this.onItem = onItem;
    var self = this;
    this.items().sort(function (a, b) { return self.orderOf(a) - self.orderOf(b); })
      .forEach(function (item) { self.list.appendChild(item); });
    this.items().forEach(function (item) { self.setup(item); });
    this.addButton.hidden = false;
    this.addButton.addEventListener("click", function () { self.add(true); });
    this.renumber();
  }
  Formset.prototype.items = function () { return $all(this.list, ":scope > [data-item]"); };
  Formset.prototype.visible = function () { return this.items().filter(function (i) { return !i.hidden; }); };
  Formset.prototype.orderOf = function (item) {
    var value = parseInt((field(item, "ORDER") || {}).value, 10);
    return isNaN(value) ? 1000 + this.items().indexOf(item) : value;
  };
  Formset.prototype.setup = function (item) {
    var self = this;
    $all(item, "[data-plain]").forEach(function (el) { el.hidden = true; });
    $all(item, "[data-buttons]").forEach(function (el) { el.hidden = false; });
    var del = field(item, "DELETE");
    if (del && del.checked) { item.hidden = true; }
    $all(item, "[data-move]").forEach(function (button) {
      button.addEventListener("click", function () { self.move(item, parseInt(button.getAttribute("data-move"), 10)); });
    });
    item.querySelector("[data-remove]").addEventListener("click", function () { self.remove(item); });
    if (this.onItem) { this.onItem(item); }
    counters(item);
  };
  // Each item's buttons say which item they act on ("上移第2节"), for screen readers.
  Formset.prototype.label = function (name, number) {
    return (this.box.getAttribute(name) || "").replace("%s", number);
  };
  Formset.prototype.renumber = function () {
    var self = this;
    this.visible().forEach(function (item, index) {
      var order = field(item, "ORDER");
      if (order) { order.value = index + 1; }
      var number = item.querySelector("[data-number]");
      if (number) { number.textContent = index + 1; }
      $all(item, "[data-move='-1']").forEach(function (b) { b.setAttribute("aria-label", self.label("data-up", index + 1)); });
      $all(item, "[data-move='1']").forEach(function (b) { b.setAttribute("aria-label", self.label("data-down", index + 1)); });
      $all(item, "[data-remove]").forEach(function (b) { b.setAttribute("aria-label", self.label("data-remove-label", index + 1)); });
    });
    this.addButton.disabled = this.visible().length >= this.max;
  };
  Formset.prototype.add = function (focus) {
    if (this.visible().length >= this.max) { return null; }
    var item;
    var reusable = this.items().filter(function (i) { return i.hidden; })[0];
    if (parseInt(this.total.value, 10) >= this.max && reusable) {
      item = reusable;  // a removed item's slot is used again, so the form count never passes the maximum
      $all(item, "input, textarea, select").forEach(function (el) {
        if (el.type === "checkbox") { el.checked = false; } else if (el.type !== "hidden" || el.hasAttribute("data-photo-key")) { el.value = ""; }
      });
      $all(item, "[data-uploaded-note]").forEach(function (el) { el.remove(); });
      $all(item, "[data-preview]").forEach(function (img) { img.remove(); });
      item.hidden = false;
      this.list.appendChild(item);
    } else {
      var index = parseInt(this.total.value, 10);
      var html = this.template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("ol");
      holder.innerHTML = html.trim();
      item = holder.firstElementChild;
      this.list.appendChild(item);
      this.total.value = index + 1;
      this.setup(item);
    }
    this.renumber();
    if (focus) {
      var first = item.querySelector("input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    }
    return item;
  };
  Formset.prototype.move = function (item, step) {
    var visible = this.visible();
    var other = visible[visible.indexOf(item) + step];
    if (!other) { return; }
    if (step < 0) { this.list.insertBefore(item, other); } else { this.list.insertBefore(other, item); }
    this.renumber();
    var button = item.querySelector("[data-move='" + step + "']");
    var now = this.visible().indexOf(item) + 1;
    // At the top (or bottom) the same button cannot move it further: focus its partner.
    if ((step < 0 && now === 1) || (step > 0 && now === this.visible().length)) {
      button = item.querySelector("[data-move='" + (-step) + "']");
    }
    button.focus();
    announce(this.label("data-moved", now));
    changed();
  };
  Formset.prototype.remove = function (item) {
    var filled = $all(item, "input[type=text], textarea, [data-photo-key]").some(function (el) { return el.value.trim() !== ""; });
    var question = this.box.getAttribute("data-confirm").replace("%s", (item.querySelector("[data-number]") || {}).textContent);
    if (filled && !window.confirm(question)) { return; }
    var del = field(item, "DELETE");
    if (del) { del.checked = true; }
    var visible = this.visible();
    var at = visible.indexOf(item);
    var next = visible[at + 1] || visible[at - 1];
    item.hidden = true;
    this.renumber();
    // Focus stays in the list: on the next item's delete button (or the previous one's), else the add button.
    var target = next ? next.querySelector("[data-remove]") : this.addButton;
    if (target && !target.disabled) { target.focus(); }
    announce(this.label("data-removed", this.visible().length));
    changed();
  };

  // The form's one polite live region: moves and removals are read out, nothing else.
  function announce(text) {
    var region = document.querySelector("[data-announce]");
    if (!region || !text) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // Photos: preview of a newly chosen file, before it is sent --------------------------------
  function photoItem(item) {
    var input = item.querySelector("[data-photo-input]");
    if (!input) { return; }
    input.addEventListener("change", function () {
      var img = item.querySelector("[data-preview]");
      var file = input.files && input.files[0];
      if (!file || !window.URL) { return; }
      if (!img) {  // made only when there is a picture to show (never an <img> without src)
        img = document.createElement("img");
        img.className = "photo-preview";
        img.alt = "";
        img.setAttribute("data-preview", "");
        item.querySelector(".photo-slot").appendChild(img);
      }
      img.src = window.URL.createObjectURL(file);
      img.hidden = false;
      var note = item.querySelector("[data-uploaded-note]");
      if (note) { note.remove(); }
    });
  }

  // Live length counters -----------------------------------------------------------------------
  function counters(root) {
    $all(root, "input[type=text][maxlength], input[type=email][maxlength], textarea[maxlength]").forEach(function (el) {
      if (el.nextElementSibling && el.nextElementSibling.hasAttribute("data-counter-of")) { return; }
      var max = parseInt(el.getAttribute("maxlength"), 10);
      var counter = document.createElement("div");
      counter.className = "form-text entry-counter";
      counter.setAttribute("data-counter-of", el.name);
      el.insertAdjacentElement("afterend", counter);
      var update = function () {
        counter.textContent = el.value.length + " / " + max;
        counter.classList.toggle("entry-counter-full", el.value.length >= max * 0.95);
      };
      el.addEventListener("input", update);
      update();
    });
  }

  // Kept in this browser -----------------------------------------------------------------------
  var form = document.querySelector("form[data-entry-form]");
  var storageKey = form && form.getAttribute("data-storage-key");
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  var timer = null;

  function snapshot() {
    var fields = {};
    $all(form, "input[name], textarea[name], select[name]").forEach(function (el) {
      if (SKIP.test(el.name) || el.type === "file") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (!(el.name in fields)) { fields[el.name] = []; }
        if (el.checked) { fields[el.name].push(el.value); }
      } else {
        fields[el.name] = el.value;
      }
    });
    return { savedAt: Date.now(), fields: fields };
  }
  function save() {
    if (!store || !storageKey) { return; }
    try { store.setItem(storageKey, JSON.stringify(snapshot())); } catch (e) { /* storage full or blocked: nothing to do */ }
  }
  function changed() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  }
  function restore(sets) {
    var raw = store && storageKey && store.getItem(storageKey);
    if (!raw) { return false; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return false; }
    var fields = data.fields || {};
    var sections = sets.sections;
    var wanted = parseInt(fields["sections-TOTAL_FORMS"], 10) || 0;
    while (sections && parseInt(sections.total.value, 10) < wanted && sections.add(false)) { /* make room */ }
    var differs = false;
    Object.keys(fields).forEach(function (name) {
      if (/-TOTAL_FORMS$/.test(name)) { return; }
      $all(form, "[name='" + name.replace(/'/g, "") + "']").forEach(function (el) {
        var value = fields[name];
        if (el.type === "checkbox" || el.type === "radio") {
          var on = Array.isArray(value) && value.indexOf(el.value) >= 0;
          if (el.checked !== on) { el.checked = on; differs = true; }
        } else if (typeof value === "string" && el.value !== value) {
          el.value = value;
          differs = true;
          el.dispatchEvent(new Event("input"));
        }
      });
    });
    if (sections) {
      sections.items().forEach(function (item) {
        var del = field(item, "DELETE");
        item.hidden = !!(del && del.checked);
      });
      sections.items().sort(function (a, b) { return sections.orderOf(a) - sections.orderOf(b); })
        .forEach(function (item) { sections.list.appendChild(item); });
      sections.renumber();
    }
    return differs;
  }

  function clearStored() {
    $all(document, "[data-clear-storage]").forEach(function (el) {
      el.getAttribute("data-clear-storage").split(" ").forEach(function (key) {
        try { if (key && store) { store.removeItem(key); } } catch (e) { /* blocked */ }
      });
    });
  }

  // The error summary's links (templates/calls/_form.html): each moves focus to its field. Without
  // this they are plain anchors to the fields' ids. Kept in the page's order once the formsets have
  // sorted their items.
  function visibleControl(root) {
    return $all(root, "input:not([type=hidden]), textarea, select").filter(function (el) {
      return el.offsetParent !== null && !el.disabled;
    })[0];
  }
  function focusField(el) {
    if (el.hasAttribute("data-part-errors")) {  // "at least one photo": the part's first item
      var box = el.closest("[data-formset]");
      el = (box && visibleControl(box.querySelector("[data-items]") || box)) || el;
    }
    var wrap = el.closest(".mb-3, .form-check, [data-part-errors]") || el;
    wrap.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
  }
  function errorLinks() {
    var list = document.querySelector("[data-error-links]");
    if (!list) { return; }
    var target = function (li) {
      var link = li.querySelector("[data-error-link]");
      return link && document.getElementById(link.getAttribute("data-error-link"));
    };
    $all(list, ":scope > li").sort(function (a, b) {
      var ta = target(a), tb = target(b);
      if (!ta || !tb || ta === tb) { return 0; }
      return (ta.compareDocumentPosition(tb) & Node.DOCUMENT_POSITION_FOLLOWING) ? -1 : 1;
    }).forEach(function (li) { list.appendChild(li); });
    list.addEventListener("click", function (event) {
      var link = event.target.closest("[data-error-link]");
      var el = link && document.getElementById(link.getAttribute("data-error-link"));
      if (!el) { return; }
      event.preventDefault();
      focusField(el);
    });
  }

  clearStored();
  if (!form) { return; }
  form.classList.add("entry-form-js");
  var sets = {};
  $all(form, "[data-formset]").forEach(function (box) {
    var name = box.getAttribute("data-formset");
    sets[name] = new Formset(box, name === "photos" ? photoItem : null);
  });
  counters(form);
  if (!form.hasAttribute("data-bound") && restore(sets)) {
    var notice = document.querySelector("[data-restored]");
    if (notice) { notice.hidden = false; }
  }
  $all(document, "[data-forget]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (store) { store.removeItem(storageKey); }
      window.location.reload();
    });
  });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Saved at once on submit; a save still waiting would write this page over what the answer clears.
  form.addEventListener("submit", function () { window.clearTimeout(timer); save(); });
  // After a failed submit, focus goes to the error summary at the top (read out first), then
  // the first field to fix is one Tab away in the order of the form.
  errorLinks();
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  } else {
    var invalid = form.querySelector(".is-invalid, [data-part-errors]");
    if (invalid) { invalid.scrollIntoView({ block: "center" }); }
  }
})();
