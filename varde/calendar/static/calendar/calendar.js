// Drag a post to another day (month, list) or hour (week) to move it. The same move is
// available without a mouse: every movable post has a "Move" disclosure; opening it puts the
// page's one move form (a <template>, so a week of 200 posts does not carry 200 forms) in it.
// Without JavaScript the disclosure holds a link to the same form on a page of its own.
// On a narrow screen, a calendar opened without a chosen view opens as the agenda.
(function () {
  "use strict";
  var body = document.getElementById("calendar-body");
  if (!body) return;
  var dragged = null;

  var params = new URLSearchParams(window.location.search);
  if (!params.has("view") && window.matchMedia("(max-width: 40rem)").matches) {
    params.set("view", "list");
    window.location.replace("?" + params.toString());
    return;
  }

  function openMoveForm(details) {
    var template = document.getElementById("cal-move-form");
    var entry = details.closest("[data-move-post]");
    if (!template || !entry || details.querySelector("form")) return;
    var form = template.content.firstElementChild.cloneNode(true);
    var from = entry.getAttribute("data-move-from"); // "YYYY-MM-DDTHH:MM", local time
    form.elements.post.value = entry.getAttribute("data-move-post");
    form.elements.from_at.value = from;
    form.elements.date.value = from.slice(0, 10);
    form.elements.time.value = from.slice(11, 16);
    var fallback = details.querySelector("a");
    if (fallback) fallback.remove();
    details.appendChild(form);
    if (window.htmx) window.htmx.process(form);
    form.elements.date.focus();
  }

  // "+n more" opens the rest of a crowded day (or hour) in place; without JavaScript it is a
  // link to a page with them. The answer focuses itself (autofocus), so the keyboard follows.
  body.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-more]");
    if (!link || !window.htmx || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    window.htmx.ajax("GET", link.href, { target: link.closest(".cal-more"), swap: "outerHTML" });
  });

  // "toggle" does not bubble: listen while it goes down.
  body.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.matches && details.matches("details.entry-move") && details.open) {
      openMoveForm(details);
    }
  }, true);

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
