// Rows of a Django formset that the user can add and remove (payment milestones, review route steps).
//
// Markup: a [data-formset] element holding the formset's management form, a [data-formset-body] for the rows,
// a <template data-formset-template> with the empty form's row (its names carry "__prefix__"), a
// [data-formset-add] button, and a [data-formset-remove] button in each [data-formset-row]. The buttons start
// hidden: without JavaScript the page still works with the blank rows the server adds. Blank rows are ignored by
// the server, so removing a row empties it and hides it.
(function () {
  "use strict";

  function clearRow(row) {
    row.querySelectorAll("input, textarea, select").forEach(function (field) {
      if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) { option.selected = false; });
        if (!field.multiple) field.selectedIndex = 0;
      } else if (field.type === "checkbox" || field.type === "radio") {
        field.checked = false;
      } else {
        field.value = "";
      }
    });
  }

  function addRow(formset) {
    var total = formset.querySelector("input[name$='-TOTAL_FORMS']");
    var template = formset.querySelector("template[data-formset-template]");
    var body = formset.querySelector("[data-formset-body]");
    if (!total || !template || !body) return;
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    if (!row) return;
    row.querySelectorAll("[data-formset-remove]").forEach(function (button) { button.hidden = false; });
    body.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var add = target.closest("[data-formset-add]");
    if (add) {
      event.preventDefault();
      var formset = add.closest("[data-formset]");
      if (formset) addRow(formset);
      return;
    }
    var remove = target.closest("[data-formset-remove]");
    if (remove) {
      event.preventDefault();
      var row = remove.closest("[data-formset-row]");
      if (!row) return;
      clearRow(row);
      row.hidden = true;
    }
  });

  function reveal() {
    document.querySelectorAll("[data-formset-add], [data-formset] [data-formset-body] [data-formset-remove]")
      .forEach(function (button) { button.hidden = false; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
