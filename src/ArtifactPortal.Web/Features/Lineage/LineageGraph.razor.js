// Draws a lineage graph (ApiLineageGraph JSON) left to right with Cytoscape.js and the dagre layout, both served from
// wwwroot/lib (copied from npm by wwwroot-assets/build.mjs). Large groups start collapsed; clicking one expands it.
import cytoscape from "../../lib/cytoscape/cytoscape.esm.min.mjs";
import cytoscapeDagre from "../../lib/cytoscape/cytoscape-dagre.min.mjs";
import "../../lib/cytoscape/cytoscape-svg.js";

let registered = false;
function register() {
  if (!registered) {
    cytoscape.use(cytoscapeDagre);
    if (window.cytoscapeSvg) {
      cytoscape.use(window.cytoscapeSvg);
    }
    registered = true;
  }
}

const colours = {
  dataset: "#1565c0",
  model: "#6a1b9a",
  evaluation: "#ef6c00",
  run: "#2e7d32",
  other: "#546e7a",
  restricted: "#9e9e9e",
  group: "#455a64",
};

const shapes = { dataset: "barrel", model: "round-rectangle", evaluation: "round-rectangle", run: "round-hexagon", other: "round-rectangle" };

// Material icons (Apache 2.0), drawn white at the left of each node.
const iconPaths = {
  dataset: "M12 3C7.58 3 4 4.79 4 7v10c0 2.21 3.59 4 8 4s8-1.79 8-4V7c0-2.21-3.58-4-8-4zm0 2c3.87 0 6 1.5 6 2s-2.13 2-6 2-6-1.5-6-2 2.13-2 6-2zm6 12c0 .5-2.13 2-6 2s-6-1.5-6-2v-2.23c1.61.78 3.72 1.23 6 1.23s4.39-.45 6-1.23V17zm0-5c0 .5-2.13 2-6 2s-6-1.5-6-2V9.77C7.61 10.55 9.72 11 12 11s4.39-.45 6-1.23V12z",
  model: "M21 16.5c0 .38-.21.71-.53.88l-7.9 4.44c-.16.12-.36.18-.57.18s-.41-.06-.57-.18l-7.9-4.44A.991.991 0 0 1 3 16.5v-9c0-.38.21-.71.53-.88l7.9-4.44c.16-.12.36-.18.57-.18s.41.06.57.18l7.9 4.44c.32.17.53.5.53.88v9z",
  evaluation: "M19 3H5c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2V5c0-1.1-.9-2-2-2zM9 17H7v-7h2v7zm4 0h-2V7h2v10zm4 0h-2v-4h2v4z",
  run: "M8 5v14l11-7z",
  other: "M14 2H6c-1.1 0-2 .9-2 2v16c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V8l-6-6zm4 18H6V4h7v5h5v11z",
  restricted: "M18 8h-1V6c0-2.76-2.24-5-5-5S7 3.24 7 6v2H6c-1.1 0-2 .9-2 2v10c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V10c0-1.1-.9-2-2-2zm-6 9c-1.1 0-2-.9-2-2s.9-2 2-2 2 .9 2 2-.9 2-2 2zM9 8V6c0-1.66 1.34-3 3-3s3 1.34 3 3v2H9z",
  group: "M4 6H2v14c0 1.1.9 2 2 2h14v-2H4V6zm16-4H8c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zm-1 9h-4v4h-2v-4H9V9h4V5h2v4h4v2z",
};

function icon(kind) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24"><path fill="white" d="${iconPaths[kind] ?? iconPaths.other}"/></svg>`;
  return "data:image/svg+xml;utf8," + encodeURIComponent(svg);
}

// Two lines inside a 190-pixel node; the whole text is in the hover details.
function clip(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function labelOf(node) {
  if (node.kind === "restricted") {
    return "restricted";
  }
  const second = node.kind === "run" ? `run #${node.version}` : `v${node.version}${node.deleted ? " (deleted)" : ""}`;
  const badges = node.aliases.filter((a) => a !== "latest").map((a) => `● ${a}`).join("  ");
  return [clip(node.label, 22), clip(badges ? `${second}   ${badges}` : second, 26)].join("\n");
}

/** Cytoscape elements for the graph, with every group not in `expanded` drawn as one node. */
export function elementsFor(graph, expanded) {
  const groups = new Map(graph.groups.map((g) => [g.id, g]));
  const collapsed = (node) => node.group && groups.has(node.group) && !expanded.has(node.group);
  const idOf = new Map();
  const elements = [];
  const added = new Set();
  for (const node of graph.nodes) {
    if (collapsed(node)) {
      const group = groups.get(node.group);
      idOf.set(node.id, group.id);
      if (!added.has(group.id)) {
        added.add(group.id);
        elements.push({ group: "nodes", data: { id: group.id, kind: "group", label: group.label, icon: icon("group"), isGroup: true } });
      }
      continue;
    }
    idOf.set(node.id, node.id);
    elements.push({
      group: "nodes",
      data: {
        id: node.id,
        kind: node.kind,
        label: labelOf(node),
        icon: node.thumbnailUrl ?? icon(node.kind),
        thumbnail: !!node.thumbnailUrl,
        url: node.url ?? null,
        focus: node.focus,
        production: node.aliases.includes("production"),
        node,
      },
    });
  }
  const edges = new Set();
  for (const edge of graph.edges) {
    const source = idOf.get(edge.source);
    const target = idOf.get(edge.target);
    const key = `${source}>${target}`;
    if (source && target && source !== target && !edges.has(key)) {
      edges.add(key);
      elements.push({ group: "edges", data: { id: `e${edges.size}`, source, target, kind: edge.kind } });
    }
  }
  return elements;
}

const style = [
  {
    selector: "node",
    style: {
      shape: (n) => shapes[n.data("kind")] ?? "round-rectangle",
      "background-color": (n) => colours[n.data("kind")] ?? colours.other,
      width: 190,
      height: 52,
      label: "data(label)",
      color: "#fff",
      "font-size": 12,
      "font-family": "Roboto, Helvetica, Arial, sans-serif",
      "text-wrap": "wrap",
      "text-max-width": 150,
      "line-height": 1.3,
      "text-valign": "center",
      "text-halign": "center",
      "text-margin-x": 14,
      "background-image": "data(icon)",
      "background-width": (n) => (n.data("thumbnail") ? 40 : 20),
      "background-height": (n) => (n.data("thumbnail") ? 40 : 20),
      "background-position-x": 10,
      "background-position-y": "50%",
      "background-clip": "none",
      "border-width": 0,
    },
  },
  { selector: "node[?production]", style: { "border-width": 3, "border-color": "#ffb300" } },
  { selector: "node[?focus]", style: { "border-width": 5, "border-color": "#ffd54f", "underlay-color": "#ffd54f", "underlay-opacity": 0.35, "underlay-padding": 6 } },
  { selector: "node[kind = 'restricted']", style: { "border-width": 2, "border-style": "dashed", "border-color": "#757575", color: "#fafafa" } },
  { selector: "node[?isGroup]", style: { "border-width": 2, "border-style": "double", "border-color": "#cfd8dc" } },
  { selector: "node.hover", style: { "overlay-color": "#000", "overlay-opacity": 0.12 } },
  {
    selector: "edge",
    style: {
      width: 2,
      "line-color": "#90a4ae",
      "target-arrow-color": "#90a4ae",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
    },
  },
  { selector: "edge[kind = 'derivedFrom']", style: { "line-style": "dashed" } },
];

const layout = { name: "dagre", rankDir: "LR", nodeSep: 18, rankSep: 70, animate: false, fit: true, padding: 24 };

class LineageView {
  constructor(container, tooltip, dotNet) {
    this.container = container;
    this.tooltip = tooltip;
    this.dotNet = dotNet;
    this.expanded = new Set();
    this.graph = null;
    this.cy = cytoscape({ container, style, minZoom: 0.1, maxZoom: 3, wheelSensitivity: 0.3, boxSelectionEnabled: false });
    this.cy.on("tap", "node", (event) => this.open(event.target));
    this.cy.on("mouseover", "node", (event) => this.hover(event.target, event.renderedPosition));
    this.cy.on("mouseout", "node", (event) => {
      event.target.removeClass("hover");
      this.tooltip.hidden = true;
      this.container.style.cursor = "";
    });
  }

  show(graph) {
    const started = performance.now();
    this.graph = graph;
    this.cy.elements().remove();
    this.cy.add(elementsFor(graph, this.expanded));
    this.cy.layout(layout).run();
    this.container.dataset.nodes = String(this.cy.nodes().length);
    this.container.dataset.ready = "true";
    // Read by the end-to-end timing test: when the graph was drawn, and how long laying it out took.
    performance.mark("lineage-drawn", { detail: performance.now() - started });
  }

  open(target) {
    if (target.data("isGroup")) {
      this.expanded.add(target.id());
      this.show(this.graph);
      return;
    }
    const url = target.data("url");
    if (url) {
      this.dotNet.invokeMethodAsync("Open", url);
    }
  }

  hover(target, position) {
    target.addClass("hover");
    const node = target.data("node");
    const lines = target.data("isGroup")
      ? [target.data("label"), "Click to expand"]
      : node.kind === "restricted"
        ? ["Restricted", "In a project you cannot see"]
        : [node.reference, node.detail, node.aliases.length ? `Aliases: ${node.aliases.join(", ")}` : null];
    this.tooltip.replaceChildren(...lines.filter(Boolean).map((text, i) => {
      const div = document.createElement("div");
      div.textContent = text;
      if (i === 0) {
        div.className = "lineage-tooltip-title";
      }
      return div;
    }));
    this.tooltip.style.left = `${position.x + 16}px`;
    this.tooltip.style.top = `${position.y + 16}px`;
    this.tooltip.hidden = false;
    this.container.style.cursor = target.data("url") || target.data("isGroup") ? "pointer" : "default";
  }

  zoom(factor) {
    const extent = this.cy.extent();
    this.cy.zoom({ level: this.cy.zoom() * factor, position: { x: (extent.x1 + extent.x2) / 2, y: (extent.y1 + extent.y2) / 2 } });
  }

  download(name, blob) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  exportPng(name) {
    this.download(`${name}.png`, this.cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" }));
  }

  exportSvg(name) {
    const svg = this.cy.svg({ full: true, scale: 1, bg: "#ffffff" });
    this.download(`${name}.svg`, new Blob([svg], { type: "image/svg+xml" }));
  }

  dispose() {
    this.cy.destroy();
  }
}

// One view per container element; .NET holds the element, so no object handle crosses the interop.
const views = new WeakMap();

export function show(container, tooltip, dotNet, graph) {
  register();
  let view = views.get(container);
  if (!view) {
    view = new LineageView(container, tooltip, dotNet);
    views.set(container, view);
  }
  view.show(graph);
}

export function fit(container) {
  views.get(container)?.cy.fit(undefined, 24);
}

export function zoom(container, factor) {
  views.get(container)?.zoom(factor);
}

export function exportImage(container, format, name) {
  const view = views.get(container);
  if (format === "svg") {
    view?.exportSvg(name);
  } else {
    view?.exportPng(name);
  }
}

export function dispose(container) {
  views.get(container)?.dispose();
  views.delete(container);
}
