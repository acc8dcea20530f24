// Drag a post to another day (month, list) or hour (week) to move it. The same move is
// available without a mouse: every movable post has a "Move" form with date and time fields.
(function () {
  "use strict";
  var body = document.getElementById("calendar-body");
  if (!body) return;
  var dragged = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function clearTargets() {
    body.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
  }

  body.addEventListener("dragstart", function (event) {
    var entry = event.target.closest && event.target.closest("[data-move-post]");
    if (!entry) return;
    dragged = entry;
    entry.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.getAttribute("data-move-post"));
  });

  body.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });

  body.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var cell = event.target.closest("[data-drop-date]");
    if (!cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!cell.classList.contains("drop-target")) {
      clearTargets();
      cell.classList.add("drop-target");
    }
  });

  body.addEventListener("drop", function (event) {
    var cell = event.target.closest("[data-drop-date]");
    if (!dragged || !cell) return;
    event.preventDefault();
    var from = dragged.getAttribute("data-move-from"); // "YYYY-MM-DDTHH:MM", local time
    var time = from.slice(11, 16);
    var hour = cell.getAttribute("data-drop-hour");
    if (hour !== null) time = ("0" + hour).slice(-2) + ":" + from.slice(14, 16);
    var values = {
      post: dragged.getAttribute("data-move-post"),
      from_at: from,
      date: cell.getAttribute("data-drop-date"),
      time: time,
      next: body.getAttribute("data-query") || ""
    };
    clearTargets();
    dragged.classList.remove("dragging");
    dragged = null;
    if (values.date === from.slice(0, 10) && values.time === from.slice(11, 16)) return;
    window.htmx.ajax("POST", body.getAttribute("data-move-url"), {
      target: "#calendar-body",
      swap: "innerHTML",
      values: values,
      headers: { "X-CSRFToken": csrfToken() }
    });
  });
})();
