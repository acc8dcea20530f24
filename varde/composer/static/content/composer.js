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

  // The text is focused on arrival (autofocus); on a saved post the cursor goes after its text.
  var text = form.querySelector("textarea[autofocus]");
  if (text && document.activeElement === text && text.value) {
    text.setSelectionRange(text.value.length, text.value.length);
  }

  // Parts only some networks take (the thread, the first comment) follow the ticked channels.
  // Something already written in a part keeps it in view, so nothing typed disappears.
  var featuresElement = document.getElementById("channel-features");
  var features = featuresElement ? JSON.parse(featuresElement.textContent) : {};
  function chosenChannelIds() {
    return Array.prototype.map.call(
      form.querySelectorAll("input[name=channels]:checked"), function (box) { return Number(box.value); });
  }
  function hasWriting(section) {
    return Array.prototype.some.call(section.querySelectorAll("textarea"), function (area) {
      return area.value.trim() !== "";
    });
  }
  function showPartsForChosenChannels() {
    var chosen = chosenChannelIds();
    form.querySelectorAll("[data-only-for]").forEach(function (section) {
      var takers = features[section.getAttribute("data-only-for")] || [];
      var wanted = chosen.some(function (id) { return takers.indexOf(id) !== -1; });
      section.hidden = !wanted && !hasWriting(section);
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "channels") showPartsForChosenChannels();
  });

  // Media: files dragged onto the media panel upload one after another through the file
  // input's own request (the panel, with its new input, is swapped in after each file).
  var panel = document.getElementById("media-panel");
  var waiting = [];
  function uploadNext() {
    var input = panel.querySelector("[data-upload]");
    if (!input || waiting.length === 0) return;
    var transfer = new DataTransfer();
    transfer.items.add(waiting.shift());
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function carriesFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1;
  }
  if (panel) {
    panel.addEventListener("dragover", function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      panel.classList.add("is-dragging");
    });
    panel.addEventListener("dragleave", function (event) {
      if (!panel.contains(event.relatedTarget)) panel.classList.remove("is-dragging");
    });
    panel.addEventListener("drop", function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      panel.classList.remove("is-dragging");
      var starting = waiting.length === 0;
      Array.prototype.push.apply(waiting, event.dataTransfer.files);
      if (starting) uploadNext();
    });
    panel.addEventListener("htmx:afterSettle", function (event) {
      if (event.target === panel) uploadNext();
    });
    // When Varde cannot be reached the rest of the files are not sent; dropping them again does.
    ["htmx:responseError", "htmx:sendError"].forEach(function (name) {
      panel.addEventListener(name, function () { waiting = []; });
    });
  }
  // A file dropped beside the zone must not make the browser leave the page to show it.
  ["dragover", "drop"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (carriesFiles(event) && !(panel && panel.contains(event.target))) event.preventDefault();
    });
  });

  // A field reached with Tab that the sticky bar covers is scrolled up clear of it (the
  // stylesheet's scroll-padding does not move a field that is already partly in view).
  var bar = document.querySelector(".composer-bar");
  form.addEventListener("focusin", function (event) {
    if (!bar) return;
    var covered = event.target.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
    if (covered > 0) window.scrollBy(0, covered + 8);
  });

  // Work that could not be saved is not lost by closing the tab by mistake.
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.getAttribute("data-unsaved-warning") || "";
  });
})();
