// Tender intake review: a value the user types or picks from "the text also says" ticks its row's "use" box.
(function () {
  "use strict";

  function useBoxFor(input) {
    var row = input.closest("[data-testid=intake-row]");
    return row ? row.querySelector("input[type=checkbox][name^=use_]") : null;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-intake-fill]") : null;
    if (!button) return;
    var input = document.querySelector("[name='" + button.getAttribute("data-intake-fill") + "']");
    if (!input) return;
    input.value = button.getAttribute("data-value");
    var box = useBoxFor(input);
    if (box) box.checked = true;
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof Element) || !input.name || input.name.indexOf("value_") !== 0) return;
    var box = useBoxFor(input);
    if (box && input.value) box.checked = true;
  });
})();
