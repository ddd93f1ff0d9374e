// Typed input is never lost, and irreversible actions are confirmed in the page (issue 20).
//
// - Every POST form is watched: typing marks it dirty (a form the server sent back with errors, `.is-invalid`,
//   starts dirty: what it holds is not saved). A form marked `data-dirty="off"` is never watched.
// - Leaving the page while a form is dirty asks first (the browser's own "leave page?" prompt).
// - Submitting one form while another is dirty opens the in-page dialog #unsaved-dialog: "Save and continue"
//   posts the dirty form first (fetch) and submits the action only when the save was accepted; when the save is
//   refused, the dirty form is submitted the ordinary way, so the page comes back with the input kept and the
//   error next to the field. "Discard" continues without saving; Cancel (or Esc) keeps everything as it is.
//   An action's own form (a reason, a comment: `data-dirty="discard"`) is never posted as a "save": submitting it
//   would be that other action, so with such a form dirty the dialog offers only Discard and Cancel.
// - A submit button or a form with `data-confirm="what will happen"` opens the in-page dialog #confirm-dialog
//   naming the consequence; only its Confirm button submits. Esc or Cancel returns to the page.
// The dialogs are <dialog> elements (includes/confirm.html): modal, focus moves into them, Esc cancels.
(function () {
  "use strict";

  var dirty = new Set();
  var leaving = false;
  var leavingTimer = null;

  function leave() {
    // The page's own submission is under way: its beforeunload is no reason to ask. The browser fires beforeunload
    // as the navigation starts, so the flag drops again soon (a download or a 204 leaves the page where it is).
    leaving = true;
    clearTimeout(leavingTimer);
    leavingTimer = setTimeout(function () { leaving = false; }, 1500);
  }

  function watched(form) {
    return form && form.tagName === "FORM" && (form.getAttribute("method") || "get").toLowerCase() === "post" &&
      form.dataset.dirty !== "off";
  }

  function markDirty(event) {
    var form = event.target && event.target.form;
    if (watched(form)) dirty.add(form);
  }

  function otherDirty(form) {
    var others = [];
    dirty.forEach(function (f) { if (f !== form && document.contains(f)) others.push(f); });
    return others;
  }

  function formTitle(form) {
    var label = form.dataset.title || form.getAttribute("aria-label");
    if (label) return label;
    var card = form.closest(".card, details");
    var heading = card && card.querySelector(".card-title, summary, h2, h3");
    return heading ? heading.textContent.trim() : "";
  }

  function openDialog(dialog) {
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    var first = dialog.querySelector("[autofocus]") || dialog.querySelector("button");
    if (first) first.focus();
  }

  var asked = 0;

  function ask(dialog, setup) {
    // Resolves with the value of the button pressed, or "" for Esc / cancel.
    // A dialog's close event is queued, not sent at once, so a key pressed in between can open the dialog again
    // before the close of its earlier opening arrives. Each opening therefore only answers a close of its own (the
    // dialog shut, and still this opening's), and only the opening that owns the buttons takes them back.
    return new Promise(function (resolve) {
      var mine = String(++asked);
      dialog.dataset.opening = mine;
      setup(dialog);
      function done(value) {
        dialog.removeEventListener("close", onClose);
        if (dialog.dataset.opening === mine) {
          dialog.querySelectorAll("button[value]").forEach(function (b) { b.onclick = null; });
        }
        resolve(value);
      }
      function onClose() {
        if (dialog.open) return;  // a stale close: this opening is still on screen
        done(dialog.dataset.opening === mine ? (dialog.returnValue || "") : "");
      }
      dialog.returnValue = "";
      dialog.querySelectorAll("button[value]").forEach(function (button) {
        button.onclick = function (event) {
          event.preventDefault();
          dialog.returnValue = button.value;
          dialog.close(button.value);
        };
      });
      dialog.addEventListener("close", onClose);
      openDialog(dialog);
    });
  }

  function submitFor(form, submitter) {
    form.dataset.checked = "1";
    if (!form.hasAttribute("hx-post")) leave();
    try {
      if (submitter && submitter.form === form) form.requestSubmit(submitter);
      else form.requestSubmit();
    } finally {
      delete form.dataset.checked;
    }
  }

  function save(form) {
    // The save as fetch: accepted when the server answers with success (it redirects back to the page).
    return fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-Requested-With": "fetch"}, redirect: "follow",
    }).then(function (response) { return response.ok; }, function () { return false; });
  }

  function confirmText(form, submitter) {
    return (submitter && submitter.dataset.confirm) || form.dataset.confirm || "";
  }

  function confirmStep(form, submitter) {
    var text = confirmText(form, submitter);
    if (!text) { submitFor(form, submitter); return; }
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) { submitFor(form, submitter); return; }
    ask(dialog, function (d) {
      d.querySelector("[data-confirm-text]").textContent = text;
      var label = submitter && submitter.textContent.trim();
      var ok = d.querySelector("button[value='confirm']");
      if (label) ok.textContent = label;
      else ok.textContent = ok.dataset.default;
    }).then(function (value) {
      if (value === "confirm") submitFor(form, submitter);
      else if (submitter) submitter.focus();
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!watched(form) || form.dataset.checked === "1") return;
    var submitter = event.submitter || null;
    var others = otherDirty(form);
    var needsConfirm = confirmText(form, submitter) !== "";
    if (!others.length && !needsConfirm) {
      if (!form.hasAttribute("hx-post")) leave();
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!others.length) { confirmStep(form, submitter); return; }
    var dialog = document.getElementById("unsaved-dialog");
    if (!dialog) { confirmStep(form, submitter); return; }
    var savable = others.every(function (f) { return f.dataset.dirty !== "discard"; });
    ask(dialog, function (d) {
      var list = d.querySelector("[data-unsaved-list]");
      list.textContent = others.map(formTitle).filter(Boolean).join("、");
      var saveButton = d.querySelector("button[value='save']");
      saveButton.hidden = !savable;
      if (!savable) d.querySelector("button[value='cancel']").setAttribute("autofocus", "");
      else d.querySelector("button[value='cancel']").removeAttribute("autofocus");
    }).then(function (value) {
      if (value === "discard") {
        others.forEach(function (f) { dirty.delete(f); });
        confirmStep(form, submitter);
      } else if (value === "save" && savable) {
        var chain = Promise.resolve(true);
        var failed = null;
        others.forEach(function (f) {
          chain = chain.then(function (ok) {
            if (!ok) return false;
            return save(f).then(function (saved) { if (!saved) failed = f; else dirty.delete(f); return saved; });
          });
        });
        chain.then(function (ok) {
          if (ok) confirmStep(form, submitter);
          else if (failed) submitFor(failed, null);  // the page comes back with the input and the error
        });
      } else if (submitter) {
        submitter.focus();
      }
    });
  }

  function onBeforeUnload(event) {
    if (leaving) return undefined;
    if (!otherDirty(null).length) return undefined;
    event.preventDefault();
    event.returnValue = "";
    return "";
  }

  function markServerErrors(root) {
    (root || document).querySelectorAll("form").forEach(function (form) {
      if (watched(form) && form.querySelector(".is-invalid")) dirty.add(form);
    });
  }

  document.addEventListener("input", markDirty, true);
  document.addEventListener("change", markDirty, true);
  document.addEventListener("submit", onSubmit, true);
  window.addEventListener("beforeunload", onBeforeUnload);
  window.addEventListener("pageshow", function () { leaving = false; });
  document.addEventListener("invalid", function () { leaving = false; }, true);
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form && form.tagName === "FORM" && event.detail.successful) dirty.delete(form);
  });
  document.addEventListener("htmx:afterSwap", function (event) { markServerErrors(event.target); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { markServerErrors(); });
  else markServerErrors();

  window.OpsMonForms = {dirty: function () { return otherDirty(null).length > 0; }};
})();
