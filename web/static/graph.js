/* The graph view: fetch the page's JSON twin and draw it with cytoscape.
   The only script in the UI; loaded from /static, no inline code (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("cy");
  if (!box || typeof cytoscape !== "function") { return; }
  var LEVEL_COLOURS = {
    "Trung ương": "#b3261e", "tỉnh": "#c26a00", "huyện": "#2e7d32",
    "xã": "#00838f", "trường": "#6a1b9a"
  };
  function colour(node) { return LEVEL_COLOURS[node.data("level")] || "#6b7280"; }

  fetch(box.getAttribute("data-src"), { headers: { "Accept": "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (page) {
      if (!page.ok) { return; }
      var els = page.elements.nodes.concat(page.elements.edges);
      var root = page.node ? page.node.id : null;
      var cy = cytoscape({
        container: box,
        elements: els,
        minZoom: 0.1,
        maxZoom: 1.4,
        style: [
          { selector: "node", style: {
            "background-color": colour, "label": "data(label)", "font-size": 10,
            "text-wrap": "ellipsis", "text-max-width": 150, "text-valign": "bottom",
            "text-margin-y": 4, "width": 22, "height": 22, "color": "#1d2430",
            "text-background-color": "#ffffff", "text-background-opacity": 0.85,
            "text-background-padding": 2
          } },
          { selector: "node[!in_corpus]", style: {
            "background-opacity": 0.35, "border-width": 2, "border-color": colour, "border-style": "dashed"
          } },
          { selector: "node.root", style: { "width": 34, "height": 34, "font-weight": "bold" } },
          { selector: "edge", style: {
            "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.5,
            "line-color": "#8896a6", "target-arrow-color": "#8896a6", "line-style": "dotted"
          } },
          { selector: "edge[relation = 'implements']", style: {
            "line-style": "solid", "width": 2.5, "line-color": "#0b5cad", "target-arrow-color": "#0b5cad"
          } },
          { selector: "edge[relation = 'basis']", style: {
            "line-style": "dashed", "line-color": "#6a1b9a", "target-arrow-color": "#6a1b9a"
          } }
        ],
        layout: { name: "preset" }
      });
      if (root) {
        // A neighbourhood: the referenced documents (no outgoing edge: the top of
        // the cascade) in the first row, the plans that implement them below.
        var sinks = cy.nodes().filter(function (n) { return n.outgoers("edge").length === 0; });
        cy.layout({
          name: "breadthfirst", directed: false, roots: sinks.length ? sinks : undefined,
          padding: 30, spacingFactor: 1.2, animate: false
        }).run();
      } else {
        // The whole corpus: a force-directed layout spreads the clusters.
        cy.layout({
          name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 9000; },
          idealEdgeLength: function () { return 90; }, padding: 30
        }).run();
      }
      cy.fit(undefined, 30);
      cy.center();
      if (root) { cy.getElementById(root).addClass("root"); }
      cy.on("tap", "node", function (evt) {
        var url = evt.target.data("url");
        if (url) { window.location.href = url; }
      });
      box.setAttribute("data-ready", String(cy.nodes().length));
    });
}());
