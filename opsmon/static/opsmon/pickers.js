// Search pickers (opsmon.core.widgets.SearchSelect / SearchSelectMultiple): every select[data-picker] becomes a
// Tom Select (vendor/tom-select) that asks its data-picker-url for matches as the user types (`?q=`, answer
// `[{value, text}]`, at most 20, scoped by the server to what the user may see). The <select> holds only the
// option(s) chosen now; without JavaScript it still submits them. Rows added later (formset_rows.js) and htmx
// swaps are picked up too.
(function () {
  "use strict";

  function init(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    var url = select.getAttribute("data-picker-url");
    var multiple = select.getAttribute("data-picker") === "multiple";
    var empty = select.getAttribute("data-picker-empty") || "";
    var remove = select.getAttribute("data-picker-remove") || "";
    var settings = {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      maxOptions: 20,
      loadThrottle: 250,
      placeholder: select.getAttribute("data-picker-placeholder") || "",
      allowEmptyOption: false,  // the blank option of a single picker is its placeholder; clear_button empties it
      create: false,
      plugins: multiple ? { remove_button: { title: remove } }
        : (select.required ? {} : { clear_button: { title: remove } }),
      shouldLoad: function (query) { return query.trim().length > 0; },
      load: function (query, callback) {
        var sep = url.indexOf("?") >= 0 ? "&" : "?";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (items) { callback(items); })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = empty;
          return div;
        },
      },
    };
    if (multiple) settings.maxItems = null;
    else settings.maxItems = 1;
    new window.TomSelect(select, settings);
  }

  function initAll(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("select[data-picker]")) init(root);
    root.querySelectorAll("select[data-picker]").forEach(init);
  }

  function start() {
    initAll(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1 && !node.closest(".ts-wrapper")) initAll(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
