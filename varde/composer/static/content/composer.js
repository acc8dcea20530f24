// The composer's small helpers; the page works without them (htmx does the rest).
(function () {
  "use strict";
  var form = document.getElementById("composer");
  var status = document.getElementById("save-status");
  if (!form || !status) return;
  var dirty = false;

  // Choosing a file uploads it at once (its own htmx request); it must not also trigger an
  // autosave, which would race it to create the draft.
  form.querySelectorAll("[data-upload]").forEach(function (input) {
    input.addEventListener("change", function (event) { event.stopPropagation(); });
  });
  document.body.addEventListener("htmx:load", function (event) {
    var fresh = event.detail.elt.querySelectorAll ? event.detail.elt.querySelectorAll("[data-upload]") : [];
    fresh.forEach(function (input) {
      input.addEventListener("change", function (e) { e.stopPropagation(); });
    });
  });

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });

  function showFailure() {
    var span = document.createElement("span");
    span.className = "status-bad";
    span.textContent = status.getAttribute("data-error-text");
    status.replaceChildren(span);
  }
  status.addEventListener("htmx:responseError", showFailure);
  status.addEventListener("htmx:sendError", showFailure);
  status.addEventListener("htmx:timeout", showFailure);
  status.addEventListener("htmx:afterSwap", function () {
    if (status.querySelector(".status-ok")) dirty = false;
  });

  // Work that could not be saved is not lost by closing the tab by mistake.
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.getAttribute("data-unsaved-warning") || "";
  });
})();
