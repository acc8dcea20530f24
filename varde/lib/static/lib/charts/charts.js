// Draws every chart on the page from its Vega-Lite spec, kept in a
// <script type="application/json"> tag (the page allows no inline script).
// vega, vega-lite and vega-embed are vendored beside this file; nothing is fetched.
// A mark drawn from a data row with a "link" (a path on this site) goes there when clicked:
// the drill-down. The table under each chart has the same links for keyboards and screen
// readers (varde/lib/charts.py).
(function () {
  "use strict";
  var NB_NUMBER = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"] };
  var NB_TIME = {
    dateTime: "%A %e. %B %Y kl. %X", date: "%d.%m.%Y", time: "%H:%M:%S",
    periods: ["", ""],
    days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    shortDays: ["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."],
    months: ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
      "september", "oktober", "november", "desember"],
    shortMonths: ["jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.",
      "okt.", "nov.", "des."]
  };

  function localLink(value) {
    return typeof value === "string" && value.charAt(0) === "/" && value.charAt(1) !== "/"
      ? value : "";
  }

  function drillDown(result) {
    result.view.addEventListener("click", function (event, item) {
      var link = localLink(item && item.datum ? item.datum.link : "");
      if (link) { window.location.assign(link); }
    });
  }

  function draw(root) {
    var nb = (document.documentElement.lang || "").indexOf("nb") === 0;
    root.querySelectorAll("[data-chart-spec]").forEach(function (holder) {
      if (holder.dataset.drawn) { return; }
      var source = document.getElementById(holder.dataset.chartSpec);
      if (!source || typeof vegaEmbed === "undefined") { return; }
      var spec = JSON.parse(source.textContent);
      var options = {
        actions: false, renderer: "svg", ast: true, defaultStyle: false, tooltip: false
      };
      if (nb) {
        options.formatLocale = NB_NUMBER;
        options.timeFormatLocale = NB_TIME;
        spec.config = Object.assign({ timeFormat: "%e. %b" }, spec.config || {});
      }
      holder.dataset.drawn = "1";
      vegaEmbed(holder, spec, options).then(drillDown)
        .catch(function () { holder.dataset.drawn = ""; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
