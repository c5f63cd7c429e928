// Draws the trail timeline from the JSON block the page embeds (no inline script: the CSP forbids
// it). One row per outlet, a point per article coloured by source group, the origin as a star, and
// an arrow from each relaying article to the source it cites.
(function () {
  "use strict";
  var box = document.getElementById("timeline");
  var block = document.getElementById("timeline-data");
  if (!box || !block) { return; }
  if (typeof Plotly === "undefined") {
    box.textContent = "The chart needs plotly.js, which did not load; the table below lists the articles.";
    return;
  }
  var data = JSON.parse(block.textContent);
  // plotly renders a few HTML-like tags inside labels; article titles and outlet names are untrusted,
  // so angle brackets become look-alike characters before plotly sees them.
  function plain(s) { return String(s || "").replace(/</g, "\u2039").replace(/>/g, "\u203a"); }
  data.rows = data.rows.map(plain);
  data.points.forEach(function (p) { p.y = plain(p.y); p.title = plain(p.title); });
  data.arrows.forEach(function (a) { a.y0 = plain(a.y0); a.y1 = plain(a.y1); });
  if (!data.points.length) {
    box.textContent = "No dated articles to draw.";
    return;
  }
  var traces = data.groups.map(function (group) {
    var pts = data.points.filter(function (p) { return p.group === group; });
    return {
      type: "scatter", mode: "markers", name: plain(group),
      x: pts.map(function (p) { return p.x; }), y: pts.map(function (p) { return p.y; }),
      customdata: pts.map(function (p) { return p.article_id || ""; }),
      text: pts.map(function (p) { return p.title + (p.reprint ? " (reprint)" : ""); }),
      hovertemplate: "%{text}<br>%{x}<extra>" + plain(group) + "</extra>",
      marker: {
        size: pts.map(function (p) { return p.origin ? 20 : 12; }),
        symbol: pts.map(function (p) { return p.origin ? "star" : (p.reprint ? "circle-open" : "circle"); }),
        color: data.colours[group], line: { width: 1.5, color: "#1d232b" }
      }
    };
  });
  var arrows = data.arrows.map(function (a) {
    return {
      x: a.x1, y: a.y1, ax: a.x0, ay: a.y0, xref: "x", yref: "y", axref: "x", ayref: "y",
      showarrow: true, arrowhead: 2, arrowsize: 1, arrowwidth: 1.2, arrowcolor: "#8a96a3",
      standoff: 8, startstandoff: 8, text: ""
    };
  });
  var height = Math.max(300, 90 + 48 * data.rows.length);
  // Whole days on the axis: articles carry dates, not times, so hour ticks would only mislead.
  var days = data.points.map(function (p) { return Date.parse(p.x); }).filter(isFinite);
  var spanDays = days.length ? (Math.max.apply(null, days) - Math.min.apply(null, days)) / 864e5 : 0;
  var xaxis = { type: "date", tickformat: "%-d %b %Y", gridcolor: "#eef1f4", automargin: true };
  if (spanDays <= 14) { xaxis.dtick = 864e5; }
  var layout = {
    height: height, margin: { l: 170, r: 20, t: 20, b: 50 },
    xaxis: xaxis,
    yaxis: { type: "category", categoryorder: "array", categoryarray: data.rows.slice().reverse(),
             automargin: true, gridcolor: "#eef1f4" },
    annotations: arrows, legend: { orientation: "h", y: -0.18, yanchor: "top", title: { text: "Source group " } },
    plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff",
    font: { family: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size: 13 }
  };
  Plotly.newPlot(box, traces, layout, { displaylogo: false, responsive: true }).then(function () {
    box.setAttribute("data-drawn", "1");
  });
  box.on("plotly_click", function (ev) {
    var id = ev.points && ev.points[0] && ev.points[0].customdata;
    if (id) { window.location.href = "/articles/" + encodeURIComponent(id); }
  });
})();
