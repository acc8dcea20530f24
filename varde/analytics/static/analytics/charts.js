// Draws every chart on the page from its Vega-Lite spec, kept in a
// <script type="application/json"> tag (the page allows no inline script).
// vega, vega-lite and vega-embed are vendored beside this file; nothing is fetched.
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
      vegaEmbed(holder, spec, options).catch(function () { holder.dataset.drawn = ""; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
