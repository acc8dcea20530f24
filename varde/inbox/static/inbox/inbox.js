// Keyboard-first triage for the inbox. Served as a static file (no inline script, so the
// Content-Security-Policy holds). Single keys only, never with Ctrl/Alt/Meta, and never while
// a person types in a field, so no browser shortcut is taken over. Every action is also a
// plain button or field, reachable by mouse and screen reader without this file.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-inbox-row]"));
  }

  var current = -1;

  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) {
      row.classList.toggle("is-selected", i === current);
      if (i === current) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    var row = all[current];
    var focusable = row.querySelector("[data-inbox-open]") || row;
    focusable.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function within(selector) {
    var all = rows();
    var row = current >= 0 ? all[current] : null;
    return (row && row.querySelector(selector)) || document.querySelector(selector);
  }

  function press(selector) {
    var button = within(selector);
    if (button) button.click();
  }

  function focusField(selector) {
    var field = document.querySelector(selector);
    if (field) {
      field.focus();
      if (field.scrollIntoView) field.scrollIntoView({ block: "center" });
    }
  }

  // 1-7: correct the selected item's class in one keystroke (the options of its class menu,
  // after "Not classified": question, complaint, praise, lead, spam, offensive, other).
  function classify(n) {
    var form = within("[data-inbox-classify]");
    var menu = form ? form.querySelector("select") : null;
    if (!menu || n >= menu.options.length) return false;
    menu.selectedIndex = n;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
    return true;
  }

  function help() {
    var dialog = document.getElementById("inbox-help");
    if (dialog && dialog.showModal && !dialog.open) dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-inbox-help]")) help();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (typing(event.target) || event.defaultPrevented) return;
    var handled = true;
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "Enter": {
        var link = current >= 0 ? rows()[current].querySelector("[data-inbox-open]") : null;
        if (link) link.click(); else handled = false;
        break;
      }
      case "e": press("[data-inbox-resolve]"); break;
      case "r": focusField("[data-inbox-reply]"); break;
      case "a": focusField("[data-inbox-assign]"); break;
      case "h": press("[data-inbox-hide]"); break;
      case "l": focusField("[data-inbox-label]"); break;
      case "/": focusField("[data-inbox-saved]"); break;
      case "?": help(); break;
      case "1": case "2": case "3": case "4": case "5": case "6": case "7":
        handled = classify(Number(event.key));
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  // Presence: tell the server every 15 s that this person views the conversation, or writes
  // in it (typed within the last 15 s), and show who else is there. The server sends the
  // sentences already translated; they are set as text, never as HTML.
  var presence = document.querySelector("[data-inbox-presence]");
  if (presence && window.fetch && window.FormData) {
    var PING_MS = 15000;
    var lastTyped = 0;
    var reply = document.querySelector("[data-inbox-reply]");
    if (reply) reply.addEventListener("input", function () {
      var quiet = Date.now() - lastTyped > PING_MS;
      lastTyped = Date.now();
      if (quiet) ping();  // say "writing" at once, not at the next turn
    });

    var show = function (present) {
      while (presence.firstChild) presence.removeChild(presence.firstChild);
      present.forEach(function (person) {
        var tag = document.createElement("span");
        tag.className = "tag presence-" + (person.state === "writing" ? "writing" : "viewing");
        tag.textContent = person.words;
        presence.appendChild(tag);
        presence.appendChild(document.createTextNode(" "));
      });
    };

    var ping = function (state) {
      var body = new FormData();
      body.append("state", state || (Date.now() - lastTyped < PING_MS ? "writing" : "viewing"));
      return fetch(presence.getAttribute("data-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: state === "left",
        headers: { "X-CSRFToken": presence.getAttribute("data-csrf") || "" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data && data.present) show(data.present);
      }).catch(function () { /* offline for a moment: the next turn tries again */ });
    };

    ping();
    var timer = window.setInterval(ping, PING_MS);
    window.addEventListener("pagehide", function () {
      window.clearInterval(timer);
      ping("left");
    });
  }
})();
