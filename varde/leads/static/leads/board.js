// The pipeline board: drag a card to another column, or focus a card and press the left or
// right arrow key (the same as its arrow buttons, which work without JavaScript too). Moves
// post to the card's move address; htmx swaps in the board the server answers.
(function () {
  "use strict";
  var holder = document.getElementById("lead-board");
  if (!holder) return;
  var dragged = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function editable() {
    var board = holder.querySelector("[data-board]");
    return board && board.hasAttribute("data-editable");
  }

  function mine() {
    var board = holder.querySelector("[data-board]");
    return board ? board.getAttribute("data-mine") || "" : "";
  }

  function move(card, stage) {
    var id = card.getAttribute("data-lead");
    window.htmx.ajax("POST", card.getAttribute("data-move-url"), {
      target: "#lead-board",
      swap: "innerHTML",
      values: { stage: stage, mine: mine() },
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function () {
      var again = document.getElementById("lead-" + id);
      if (again) again.focus();
    });
  }

  function clearTargets() {
    holder.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
  }

  holder.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-lead]");
    if (!card || !editable()) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-lead"));
  });

  holder.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });

  holder.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var column = event.target.closest("[data-stage]");
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drop-target")) {
      clearTargets();
      column.classList.add("drop-target");
    }
  });

  holder.addEventListener("drop", function (event) {
    var column = event.target.closest("[data-stage]");
    if (!dragged || !column) return;
    event.preventDefault();
    var card = dragged;
    var from = card.closest("[data-stage]");
    clearTargets();
    card.classList.remove("dragging");
    dragged = null;
    if (from === column) return;
    move(card, column.getAttribute("data-stage"));
  });

  holder.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var card = event.target.closest && event.target.closest("[data-lead]");
    if (!card || card !== event.target || !editable()) return;
    var button = card.querySelector('[data-move="' + (event.key === "ArrowLeft" ? "left" : "right") + '"]');
    if (!button) return;
    event.preventDefault();
    var stage = button.form.querySelector('input[name="stage"]').value;
    move(card, stage);
  });
})();
