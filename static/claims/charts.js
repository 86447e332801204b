/* Draws the claims charts with Vega-Lite. The page carries the points as JSON in a
   <script type="application/json"> (Django's json_script); nothing here is inline in the page,
   and Vega runs with its CSP-safe expression interpreter, so a strict Content-Security-Policy
   needs no 'unsafe-eval' or 'unsafe-inline'. */
(function () {
  "use strict";

  // Okabe & Ito's palette: distinguishable with the common forms of colour blindness.
  var PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
    "#F0E442"];
  // Shape carries the hedging, so colour is never the only cue.
  var HEDGES = ["Exact", "About", "At least", "Up to", "Between"];
  var SHAPES = ["circle", "diamond", "triangle-up", "triangle-down", "square"];

  function unique(values) {
    return values.filter(function (value, index) { return values.indexOf(value) === index; });
  }

  // The layers of one panel, from that panel's points only: a layer without data in a panel
  // (no range, no running total) makes Vega warn of an infinite extent, so it is left out.
  function panelLayers(points, options, x, yScale, colour, colours) {
    var layers = [];
    if (points.some(function (p) { return p.qualifier === "range"; })) {
      layers.push({
        // A range is a bar from its low to its high figure.
        transform: [{ filter: { field: "qualifier", equal: "range" } }],
        mark: { type: "rule", strokeWidth: 3, opacity: 0.7 },
        encoding: {
          x: x,
          y: { field: "low", type: "quantitative", scale: yScale },
          y2: { field: "high" },
          color: colour,
        },
      });
    }
    if (options.kind === "timeline" && points.some(function (p) { return p.tally === "cumulative"; })) {
      layers.push({
        // A claimant's running total over time, one line per claimant.
        transform: [{ filter: { field: "tally", equal: "cumulative" } }],
        mark: { type: "line", strokeWidth: 2, opacity: 0.6 },
        encoding: {
          x: x,
          y: { field: "value", type: "quantitative", scale: yScale },
          color: colour,
          detail: { field: "claimant", type: "nominal" },
        },
      });
    }
    layers.push({
      mark: { type: "point", filled: true, size: 80, opacity: 0.9, strokeWidth: 1.5,
        cursor: "pointer" },
      encoding: {
        x: x,
        y: { field: "value", type: "quantitative", title: "Figure claimed", scale: yScale,
          axis: { format: ",~r" } },
        color: colour,
        // The outline keeps a hollow mark visible.
        stroke: { field: "colour", type: "nominal", title: options.colourTitle,
          scale: { domain: colours, range: PALETTE } },
        shape: { field: "hedge", type: "nominal", title: "Hedging",
          scale: { domain: HEDGES, range: SHAPES }, legend: { orient: "bottom" } },
        // A hollow mark: placed at the article's date, the text states none.
        fillOpacity: { condition: { test: "datum.date_basis === 'published'", value: 0 },
          value: 0.9 },
        href: { field: "url" },
        tooltip: [
          { field: "figure", title: "Figure" },
          { field: "hedge", title: "Hedging" },
          { field: "claimant", title: "Claimant" },
          { field: "date", type: "temporal", title: "Date", format: "%-d %b %Y" },
          { field: "date_basis", title: "Date from" },
          { field: "battle", title: "Battle" },
          { field: "unit", title: "Unit" },
        ],
      },
    });
    return layers;
  }

  // Panels in order: the source page puts a claimant's own losses first, the conflict page
  // running totals before tallies; otherwise A to Z.
  function panelNames(points) {
    var rank = {};
    points.forEach(function (p) {
      var r = p.panel_rank === undefined ? 0 : p.panel_rank;
      rank[p.panel] = rank[p.panel] === undefined ? r : Math.min(rank[p.panel], r);
    });
    return Object.keys(rank).sort(function (a, b) {
      return rank[a] - rank[b] || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  function buildSpec(points, options) {
    var colours = unique(points.map(function (p) { return p.colour; })).sort();
    var yScale = options.log ? { type: "symlog", constant: 1, padding: 8 }
      : { type: "linear", zero: true, padding: 8 };
    // One date scale for every panel, and each panel labels it, so no panel is left unread.
    // A tick every `step` months, about eight in all: "%b %Y" on half-month ticks would
    // repeat a month's name.
    var times = points.map(function (p) { return Date.parse(p.date); });
    var months = (Math.max.apply(null, times) - Math.min.apply(null, times)) / 2.63e9;
    var step = Math.max(1, Math.ceil(months / 8));
    var x = { field: "date", type: "temporal",
      title: "Date (stated in the text, else the article's publication date)",
      scale: { padding: 12 },
      axis: { format: "%b %Y", tickCount: { interval: "month", step: step }, labelAngle: 0,
        labelOverlap: true, labelSeparation: 8 } };
    var colour = { field: "colour", type: "nominal", title: options.colourTitle,
      scale: { domain: colours, range: PALETTE }, legend: { orient: "bottom", columns: 2 } };
    // Panels stacked, each with its own points as data (see panelLayers).
    var panels = panelNames(points).map(function (name) {
      var own = points.filter(function (p) { return p.panel === name; });
      return {
        title: { text: name, anchor: "start", fontSize: 13, fontWeight: "bold" },
        data: { values: own },
        // Each mark links to its claim; the address is built here to keep the page lighter.
        transform: [{ calculate: "'/claims/' + datum.id + '/'", as: "url" }],
        width: options.width,
        height: 200,
        layer: panelLayers(own, options, x, yScale, colour, colours),
      };
    });
    return {
      description: "Claims over time: " + points.length + " claims, figure against date.",
      vconcat: panels,
      resolve: { scale: { y: "independent", x: "shared" } },
      config: {
        font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        axis: { labelFontSize: 12, titleFontSize: 12, grid: true, gridColor: "#e5e8eb" },
        legend: { labelFontSize: 12, titleFontSize: 12 },
        view: { stroke: "#d0d7de" },
      },
    };
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.chartData);
    var points = JSON.parse(source.textContent);
    var toggle = document.getElementById(container.dataset.logToggle);
    // Room for the y axis and its title beside each panel.
    var width = Math.max(220, container.clientWidth - 90);
    var spec = buildSpec(points, {
      log: Boolean(toggle && toggle.checked),
      width: width,
      colourTitle: container.dataset.colourTitle || "Colour",
      kind: container.dataset.chartKind || "claims",
    });
    container.dataset.rendered = "false";
    return window.vegaEmbed(container, spec, {
      mode: "vega-lite",
      renderer: "svg",
      actions: false,
      defaultStyle: false,
      ast: true,
      expr: window.vegaInterpreter.expressionInterpreter,
      tooltip: { disableDefaultStyle: true },
    }).then(function (result) {
      container.dataset.rendered = "true";
      return result;
    }).catch(function (error) {
      container.dataset.rendered = "error";
      container.textContent = "The chart could not be drawn; the table below has every claim.";
      console.error(error);
    });
  }

  function init() {
    var charts = document.querySelectorAll(".chart[data-chart-data]");
    Array.prototype.forEach.call(charts, function (container) {
      var toggle = document.getElementById(container.dataset.logToggle);
      if (toggle) {
        toggle.addEventListener("change", function () { draw(container); });
      }
      var lastWidth = container.clientWidth;
      var timer = null;
      window.addEventListener("resize", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          if (Math.abs(container.clientWidth - lastWidth) > 40) {
            lastWidth = container.clientWidth;
            draw(container);
          }
        }, 200);
      });
      draw(container);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
