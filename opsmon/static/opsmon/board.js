// Drag a board card to another stage column. The move goes through the same endpoint as the card's
// stage <select> (hx-post), so the server decides, the timeline records it, and the board comes back re-rendered.
(function () {
  "use strict";

  var dragged = null;

  function zoneOf(event) {
    return event.target instanceof Element ? event.target.closest("[data-dropzone]") : null;
  }

  function clearZones() {
    document.querySelectorAll("[data-dropzone].is-over").forEach(function (zone) {
      zone.classList.remove("is-over");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target instanceof Element ? event.target.closest(".board-card[draggable=true]") : null;
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearZones();
  });

  document.addEventListener("dragover", function (event) {
    var zone = zoneOf(event);
    if (!zone || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!zone.classList.contains("is-over")) {
      clearZones();
      zone.classList.add("is-over");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("is-over");
  });

  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event);
    if (!zone || !dragged) return;
    event.preventDefault();
    clearZones();
    var card = dragged;
    var stage = zone.getAttribute("data-stage");
    if (stage === card.getAttribute("data-stage")) return;
    // The card's form supplies the version it was drawn at; hx-headers on <body> supplies the CSRF token.
    htmx.ajax("POST", card.getAttribute("data-move-url"), {
      source: card.querySelector("form"),
      target: "#board",
      swap: "outerHTML",
      values: { stage: stage }
    });
  });
})();
