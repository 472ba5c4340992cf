// The drawing: Cytoscape.js set-up, styles per node and relation type, layouts and in-place expansion.

export const NODE_TYPES = {
  Person: { color: "#2563eb", shape: "ellipse" },
  Office: { color: "#7c3aed", shape: "round-rectangle" },
  Organization: { color: "#0f766e", shape: "hexagon" },
  Bill: { color: "#d97706", shape: "rectangle" },
  Event: { color: "#db2777", shape: "diamond" },
  Place: { color: "#78716c", shape: "triangle" },
};
const OTHER_NODE = { color: "#94a3b8", shape: "ellipse" };

export const RELATION_TYPES = {
  CRITICIZED: { color: "#dc2626", label: "criticized" },
  ENDORSED: { color: "#16a34a", label: "endorsed" },
  RESPONDED_TO: { color: "#6b7280", label: "responded to" },
  SPONSORED: { color: "#a8a29e", label: "sponsored" },
  HOLDS_OFFICE: { color: "#a8a29e", label: "holds office" },
  FUNDED: { color: "#a8a29e", label: "funded" },
  INVOLVED_IN: { color: "#a8a29e", label: "involved in" },
};
const OTHER_RELATION = { color: "#a8a29e", label: "related" };

// Above this many nodes the force layout is too slow to wait for: use the radial layout instead.
const FORCE_LAYOUT_MAX = 120;
// Above this many nodes the drawing gets lighter: straight edges, no edge labels.
const LARGE_GRAPH = 800;

export function nodeStyle(type) {
  return NODE_TYPES[type] || OTHER_NODE;
}
export function relationStyle(type) {
  return RELATION_TYPES[type] || OTHER_RELATION;
}

function stylesheet() {
  const styles = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "background-color": "data(color)",
        shape: "data(shape)",
        width: 26,
        height: 26,
        "border-width": 2,
        "border-color": "#ffffff",
        "font-family": "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        "font-size": 11,
        color: "#1f2937",
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": 4,
        "text-wrap": "wrap",
        "text-max-width": 130,
        "text-outline-color": "#ffffff",
        "text-outline-width": 2.5,
        "text-outline-opacity": 0.9,
        // Labels disappear when zoomed out far enough that they would be unreadable anyway.
        "min-zoomed-font-size": 7,
        "overlay-padding": 4,
      },
    },
    {
      selector: "node.center",
      style: { width: 40, height: 40, "border-width": 3, "border-color": "#111827", "font-size": 13, "font-weight": 600 },
    },
    { selector: "node.expanded", style: { "border-color": "#111827", "border-width": 2 } },
    { selector: "node.center.expanded", style: { "border-width": 3 } },
    { selector: "node.fresh", style: { "border-color": "#f59e0b", "border-width": 4 } },
    { selector: "node:selected", style: { "overlay-color": "#2563eb", "overlay-opacity": 0.18 } },
    { selector: "node.loading", style: { "border-style": "dashed", "border-color": "#111827", "border-width": 3 } },
    {
      selector: "edge",
      style: {
        width: "data(width)",
        "line-color": "data(color)",
        "target-arrow-color": "data(color)",
        "target-arrow-shape": "triangle",
        "arrow-scale": 1.1,
        "curve-style": "bezier",
        "control-point-step-size": 26,
        label: "data(label)",
        "font-size": 9,
        color: "#4b5563",
        "text-rotation": "autorotate",
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
        // Edge labels only once zoomed in: they would be clutter otherwise.
        "min-zoomed-font-size": 9,
        "overlay-padding": 6,
      },
    },
    { selector: "edge.multi", style: { "font-size": 10, "font-weight": 600, color: "#111827", "min-zoomed-font-size": 6 } },
    { selector: "edge:selected", style: { width: 4.5, "overlay-color": "#111827", "overlay-opacity": 0.12 } },
    { selector: "edge.fresh", style: { width: 4 } },
    { selector: ".filtered", style: { display: "none" } },
    { selector: "core", style: { "active-bg-opacity": 0 } },
  ];
  return styles;
}

const LARGE_STYLES = [
  { selector: "edge", style: { "curve-style": "straight", label: "", "arrow-scale": 0.8, width: 1.2 } },
  { selector: "node", style: { "min-zoomed-font-size": 9, "text-wrap": "none" } },
];

function nodeElement(n) {
  const s = nodeStyle(n.type);
  return {
    group: "nodes",
    data: { id: n.id, label: n.label, type: n.type, color: s.color, shape: s.shape, properties: n.properties },
  };
}

const STANCE_TYPES = new Set(["CRITICIZED", "ENDORSED", "RESPONDED_TO"]);

/** The key of the drawn edge an assertion belongs to: one edge per source, relation type and target. */
export function edgeKey(e) {
  return `${e.source}|${e.type}|${e.target}`;
}

function statementOf(e) {
  return {
    id: e.id,
    evidence: e.evidence,
    date: e.evidence?.article?.publishedAt || e.evidence?.observedAt || null,
    articleId: e.evidence?.article?.id || null,
  };
}

/**
 * Parallel assertions (the same source, type and target, from one article or several) as one edge each:
 * `statements` keeps every one of them, in a stable order (newest first, then by article and offset).
 */
export function groupAssertions(edges) {
  const groups = new Map();
  for (const e of edges) {
    const key = edgeKey(e);
    let g = groups.get(key);
    if (!g) {
      g = { id: key, source: e.source, target: e.target, type: e.type, statements: [] };
      groups.set(key, g);
    }
    if (!g.statements.some((s) => s.id === e.id)) g.statements.push(statementOf(e));
  }
  for (const g of groups.values()) sortStatements(g.statements);
  return [...groups.values()];
}

function sortStatements(statements) {
  statements.sort(
    (a, b) =>
      compareIds(String(b.date || ""), String(a.date || "")) ||
      compareIds(String(a.articleId || ""), String(b.articleId || "")) ||
      (a.evidence?.charStart ?? 0) - (b.evidence?.charStart ?? 0) ||
      compareIds(a.id, b.id),
  );
}

/** "criticized", or "criticized ×2 · 1 article" when several statements make the edge. */
export function edgeLabel(type, statements) {
  const base = relationStyle(type).label;
  if (statements.length < 2) return base;
  const articles = new Set(statements.map((s) => s.articleId || s.id)).size;
  return `${base} ×${statements.length} · ${articles} article${articles === 1 ? "" : "s"}`;
}

function edgeData(g, shown = g.statements) {
  const articles = new Set(shown.map((s) => s.articleId || s.id)).size;
  return {
    count: shown.length,
    articles,
    label: edgeLabel(g.type, shown),
    width: Math.min(7.5, (STANCE_TYPES.has(g.type) ? 2.6 : 2) + 1.4 * Math.log2(Math.max(1, shown.length))),
  };
}

function edgeElement(g) {
  const s = relationStyle(g.type);
  const classes = [STANCE_TYPES.has(g.type) ? "stance" : "", g.statements.length > 1 ? "multi" : ""];
  return {
    group: "edges",
    data: {
      id: g.id,
      source: g.source,
      target: g.target,
      type: g.type,
      color: s.color,
      statements: g.statements,
      ...edgeData(g),
    },
    classes: classes.filter(Boolean).join(" "),
  };
}

/** Whether a statement passes the date filter (undated ones pass only when no range is set). */
export function inDateRange(statement, since, until) {
  if (!since && !until) return true;
  const day = statement.date ? String(statement.date).slice(0, 10) : null;
  return Boolean(day) && (!since || day >= since) && (!until || day <= until);
}

const STANCE_GROUP = { CRITICIZED: 0, ENDORSED: 1, RESPONDED_TO: 2 };

function compareIds(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Nodes in a stable order whatever order the API sent them in: the centre's critics first, then those
 * who endorsed it, then other responders, then everything else; by id within each group. The radial
 * layout places the first ring in this order, so each stance holds one arc around the centre.
 */
function stableOrder(nodes, edges, centerId) {
  const group = new Map();
  for (const e of edges) {
    const other = e.target === centerId ? e.source : e.source === centerId ? e.target : null;
    if (other === null) continue;
    const g = e.target === centerId ? STANCE_GROUP[e.type] ?? 3 : 3;
    group.set(other, Math.min(group.get(other) ?? 4, g));
  }
  return [...nodes].sort((a, b) => (group.get(a.id) ?? 4) - (group.get(b.id) ?? 4) || compareIds(a.id, b.id));
}

/**
 * A cheap radial layout (O(n + e)) from plain data: the centre in the middle, each hop distance on its own
 * band of rings, nodes ordered by their parent's angle so that children sit near their parent.
 */
const FIRST_RING_SPACING = 88;

function radialPositions(nodes, edges, centerId, spacing = 46) {
  const adjacent = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    adjacent.get(e.source)?.push(e.target);
    adjacent.get(e.target)?.push(e.source);
  }
  // Breadth-first levels; what the centre cannot reach goes on the outermost band.
  const level = new Map();
  const parent = new Map();
  const order = [];
  if (adjacent.has(centerId)) {
    level.set(centerId, 0);
    order.push(centerId);
  }
  for (let i = 0; i < order.length; i++) {
    const id = order[i];
    for (const m of adjacent.get(id)) {
      if (!level.has(m)) {
        level.set(m, level.get(id) + 1);
        parent.set(m, id);
        order.push(m);
      }
    }
  }
  const bands = [];
  for (const n of nodes) {
    const l = level.has(n.id) ? level.get(n.id) : Infinity;
    const key = Number.isFinite(l) ? l : bands.length + 1000;
    (bands[key] ||= []).push(n.id);
  }
  const positions = new Map();
  const angle = new Map();
  let radius = 0;
  for (const band of bands.filter(Boolean)) {
    if (band.length === 1 && band[0] === centerId) {
      positions.set(centerId, { x: 0, y: 0 });
      angle.set(centerId, 0);
      continue;
    }
    const keyed = band.map((id) => ({ id, a: angle.get(parent.get(id)) ?? 0, p: parent.get(id) || "" }));
    keyed.sort((p, q) => p.a - q.a || (p.p < q.p ? -1 : p.p > q.p ? 1 : 0));
    radius += spacing * 2.6;
    // The centre's own neighbours share one ring, wide enough for their labels: each stance keeps one arc.
    const firstRing = radius === spacing * 2.6 && adjacent.has(centerId);
    if (firstRing) radius = Math.max(radius, (keyed.length * FIRST_RING_SPACING) / (2 * Math.PI));
    let i = 0;
    while (i < keyed.length) {
      const capacity = firstRing ? keyed.length : Math.max(6, Math.floor((2 * Math.PI * radius) / spacing));
      const ring = keyed.slice(i, i + capacity);
      ring.forEach(({ id }, k) => {
        const a = -Math.PI / 2 + (2 * Math.PI * (k + 0.5)) / ring.length;
        positions.set(id, { x: radius * Math.cos(a), y: radius * Math.sin(a) });
        angle.set(id, a);
      });
      i += ring.length;
      if (i < keyed.length) radius += spacing * 1.1;
    }
  }
  return positions;
}

export class GraphView {
  constructor(cytoscape, container, handlers) {
    this.cytoscape = cytoscape;
    this.container = container;
    this.handlers = handlers;
    this.centerId = null;
    this.large = false;
    this.cy = null;
    this._create(false);
  }

  /** A fresh Cytoscape instance; big graphs get the renderer's cheap-viewport options (set only at creation). */
  _create(large) {
    if (this.cy) this.cy.destroy();
    this.large = large;
    const cy = this.cytoscape({
      container: this.container,
      style: large ? stylesheet().concat(LARGE_STYLES) : stylesheet(),
      elements: [],
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: "single",
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : "auto",
    });
    cy.on("tap", "node", (evt) => this.handlers.onNode?.(evt.target));
    cy.on("tap", "edge", (evt) => this.handlers.onEdge?.(evt.target));
    cy.on("tap", (evt) => {
      if (evt.target === cy) this.handlers.onBackground?.();
    });
    this.cy = cy;
  }

  _setLarge(large) {
    if (large === this.large) return;
    this.large = large;
    this.cy.style(large ? stylesheet().concat(LARGE_STYLES) : stylesheet());
  }

  /** Draw a fresh neighbourhood around `centerId` (the one full layout the page ever runs). */
  replace(data, centerId) {
    const started = performance.now();
    this.centerId = centerId;
    const ids = new Set(data.nodes.map((n) => n.id));
    const edges = groupAssertions(data.edges.filter((e) => ids.has(e.source) && ids.has(e.target)));
    const large = data.nodes.length > LARGE_GRAPH;
    if (large !== this.large || this.cy.elements().nonempty()) this._create(large);
    const cy = this.cy;
    const n = data.nodes.length;
    if (n <= FORCE_LAYOUT_MAX) {
      // The same question draws the same picture: the force layout starts from positions computed from
      // the data (rings around the centre, responders grouped by stance, then by id), not random ones.
      const ordered = stableOrder(data.nodes, edges, centerId);
      const sortedEdges = [...edges].sort((a, b) => compareIds(a.id, b.id));
      const start = radialPositions(ordered, sortedEdges, centerId);
      cy.add(ordered.map((node) => ({ ...nodeElement(node), position: start.get(node.id) })));
      cy.add(sortedEdges.map(edgeElement));
      cy.getElementById(centerId).addClass("center expanded");
      // The centre and its ring stay where the data put them (critics, endorsers, other responders and
      // the rest, each on its own arc); the force layout arranges only what lies further out.
      const ring = cy.getElementById(centerId).closedNeighborhood("node");
      ring.lock();
      if (cy.nodes().length > ring.length) cy.layout({
        name: "cose",
        animate: false,
        randomize: false,
        fit: true,
        padding: 50,
        numIter: 600,
        nodeRepulsion: () => 9000,
        idealEdgeLength: () => 95,
        edgeElasticity: () => 80,
        nodeOverlap: 12,
        componentSpacing: 80,
        gravity: 0.6,
      }).run();
      ring.unlock();
      cy.fit(cy.nodes(), 50);
      if (n === 1) cy.zoom(1.4).center();
    } else {
      // Positions computed from the data before anything is added: no layout pass, no bounding boxes.
      const positions = radialPositions(data.nodes, edges, centerId);
      cy.add(
        data.nodes.map((node) => ({ ...nodeElement(node), position: positions.get(node.id) })).concat(edges.map(edgeElement)),
      );
      cy.getElementById(centerId).addClass("center expanded");
      this._fitPositions([...positions.values()]);
    }
    this.lastLayoutMs = performance.now() - started;
    // Drawn while its view was hidden (zero size): fit once it is shown (see showView).
    if (this.cy.width() === 0 || this.cy.height() === 0) this.pendingFit = true;
  }

  /** Fit the viewport to known positions (cheaper than cy.fit, which measures every element). */
  _fitPositions(points, padding = 40) {
    const cy = this.cy;
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (const p of points) {
      x1 = Math.min(x1, p.x);
      y1 = Math.min(y1, p.y);
      x2 = Math.max(x2, p.x);
      y2 = Math.max(y2, p.y);
    }
    const w = cy.width() - 2 * padding;
    const h = cy.height() - 2 * padding;
    const zoom = Math.max(cy.minZoom(), Math.min(1.5, w / Math.max(1, x2 - x1 + 40), h / Math.max(1, y2 - y1 + 40)));
    cy.viewport({ zoom, pan: { x: cy.width() / 2 - (zoom * (x1 + x2)) / 2, y: cy.height() / 2 - (zoom * (y1 + y2)) / 2 } });
  }

  _endsPresent(e) {
    return this.cy.getElementById(e.source).nonempty() && this.cy.getElementById(e.target).nonempty();
  }

  /**
   * Add what `data` holds and is not drawn yet, placing only the new nodes around `anchorId` and
   * leaving every existing node where it is.
   */
  merge(data, anchorId, { fresh = false, animate = true } = {}) {
    const cy = this.cy;
    const anchor = cy.getElementById(anchorId);
    const newNodes = data.nodes.filter((n) => cy.getElementById(n.id).empty());
    let added = cy.collection();
    cy.batch(() => {
      added = cy.add(newNodes.map(nodeElement));
      const groups = groupAssertions(data.edges.filter((e) => this._endsPresent(e)));
      const newGroups = [];
      for (const g of groups) {
        const drawn = cy.getElementById(g.id);
        if (drawn.empty()) {
          newGroups.push(g);
          continue;
        }
        // An edge already drawn: statements it did not have yet join it.
        const statements = drawn.data("statements");
        const known = new Set(statements.map((st) => st.id));
        const more = g.statements.filter((st) => !known.has(st.id));
        if (!more.length) continue;
        const all = statements.concat(more);
        sortStatements(all);
        drawn.data({ statements: all, ...edgeData({ type: g.type, statements: all }) });
        drawn.toggleClass("multi", all.length > 1);
        if (fresh) drawn.addClass("fresh");
      }
      const addedEdges = cy.add(newGroups.map(edgeElement));
      added = added.union(addedEdges);
      if (fresh) added.addClass("fresh");
      this._setLarge(cy.nodes().length > LARGE_GRAPH);
    });
    const addedNodes = added.nodes();
    if (addedNodes.length) this._placeAround(anchor.nonempty() ? anchor : null, addedNodes, animate);
    if (this.cy.width() === 0 || this.cy.height() === 0) this.pendingFit = true;
    return { nodes: addedNodes, edges: added.edges() };
  }

  _placeAround(anchor, nodes, allowAnimation = true) {
    const cy = this.cy;
    const others = cy.nodes().difference(nodes);
    let origin;
    let direction;
    const centroid = (eles) => {
      let sx = 0;
      let sy = 0;
      eles.forEach((n) => {
        const p = n.position();
        sx += p.x;
        sy += p.y;
      });
      return { x: sx / Math.max(1, eles.length), y: sy / Math.max(1, eles.length) };
    };
    if (anchor) {
      origin = { ...anchor.position() };
      // Away from the anchor's other neighbours (else from the rest of the graph).
      let ref = anchor.neighborhood("node").difference(nodes);
      if (ref.empty()) ref = others.difference(anchor);
      const c = ref.nonempty() ? centroid(ref) : origin;
      direction = Math.hypot(origin.y - c.y, origin.x - c.x) < 1 ? -Math.PI / 2 : Math.atan2(origin.y - c.y, origin.x - c.x);
    } else {
      const c = others.nonempty() ? centroid(others) : { x: 0, y: 0 };
      let maxY = c.y;
      others.forEach((n) => {
        maxY = Math.max(maxY, n.position().y);
      });
      origin = { x: c.x, y: maxY + 60 };
      direction = Math.PI / 2;
    }
    // A fan away from the rest of the graph; several rings when there are many new nodes.
    const spacing = 48;
    const CELL = 40;
    const MIN_GAP = 36;
    const grid = new Map();
    const key = (x, y) => `${Math.floor(x / CELL)}:${Math.floor(y / CELL)}`;
    const occupy = (p) => {
      const k = key(p.x, p.y);
      if (!grid.has(k)) grid.set(k, []);
      grid.get(k).push(p);
    };
    const occupied = (p) => {
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const q of grid.get(key(p.x + dx * CELL, p.y + dy * CELL)) || []) {
            if (Math.hypot(p.x - q.x, p.y - q.y) < MIN_GAP) return true;
          }
        }
      }
      return false;
    };
    others.forEach((n) => occupy({ ...n.position() }));
    let radius = 130;
    let i = 0;
    const list = nodes.toArray();
    const positions = new Map();
    while (i < list.length) {
      const remaining = list.length - i;
      const arc = Math.min(Math.PI * 1.6, Math.max(Math.PI / 3, (remaining * spacing) / radius));
      const capacity = Math.max(1, Math.floor((arc * radius) / spacing) + 1);
      const ring = list.slice(i, i + capacity);
      ring.forEach((node, k) => {
        const t = ring.length === 1 ? 0.5 : k / (ring.length - 1);
        const a = direction - arc / 2 + arc * t;
        // Slide outwards along the ray until the spot is free (a grid of occupied cells keeps this cheap).
        let r = radius;
        let p = { x: origin.x + r * Math.cos(a), y: origin.y + r * Math.sin(a) };
        for (let tries = 0; tries < 12 && occupied(p); tries++) {
          r += spacing * 0.7;
          p = { x: origin.x + r * Math.cos(a), y: origin.y + r * Math.sin(a) };
        }
        occupy(p);
        positions.set(node.id(), p);
      });
      i += ring.length;
      radius += spacing * 1.3;
    }
    const animate = allowAnimation && list.length <= 150;
    cy.batch(() => {
      list.forEach((node) => node.position(animate ? { ...origin } : positions.get(node.id())));
    });
    if (animate) {
      list.forEach((node) => node.animate({ position: positions.get(node.id()) }, { duration: 280 }));
    }
    // Keep the new nodes in view without re-fitting the whole graph.
    const ext = cy.extent();
    const outside = list.some((node) => {
      const p = positions.get(node.id());
      return p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2;
    });
    if (outside && cy.nodes().length <= 200) {
      // A small graph: fit all of it (the viewport moves, the nodes do not).
      const all = cy.nodes().difference(nodes).map((n) => n.position()).concat(list.map((n) => positions.get(n.id())));
      this._fitPositions(all, 50);
    } else if (outside) {
      const xs = list.map((n) => positions.get(n.id()).x).concat([origin.x]);
      const ys = list.map((n) => positions.get(n.id()).y).concat([origin.y]);
      const box = { x1: Math.min(...xs), x2: Math.max(...xs), y1: Math.min(...ys), y2: Math.max(...ys) };
      const w = cy.width();
      const h = cy.height();
      const zoom = Math.min(cy.zoom(), (w - 120) / Math.max(1, box.x2 - box.x1), (h - 120) / Math.max(1, box.y2 - box.y1));
      cy.animate(
        { zoom: Math.max(cy.minZoom(), zoom), center: { eles: anchor || nodes } },
        { duration: animate ? 280 : 0 },
      );
    }
  }

  /**
   * Hide edges not matching the relation types, and the nodes left without an edge. An edge stays when one
   * of its statements is in the date range; its label then counts only those.
   */
  applyFilters({ types, since, until }) {
    const cy = this.cy;
    let hiddenEdges = 0;
    cy.batch(() => {
      cy.edges().forEach((e) => {
        const statements = e.data("statements") || [];
        const shown = types.has(e.data("type")) ? statements.filter((st) => inDateRange(st, since, until)) : [];
        const show = shown.length > 0;
        e.toggleClass("filtered", !show);
        if (show && shown.length !== e.data("count")) {
          e.data(edgeData({ type: e.data("type"), statements }, shown));
        } else if (!show && e.data("count") !== statements.length) {
          e.data(edgeData({ type: e.data("type"), statements }));
        }
        if (!show) hiddenEdges++;
      });
      cy.nodes().forEach((n) => {
        const edges = n.connectedEdges();
        const isolated = edges.length > 0 && edges.every((e) => e.hasClass("filtered"));
        n.toggleClass("filtered", isolated && !n.hasClass("center"));
      });
    });
    return hiddenEdges;
  }

  /** The statements drawn now: those of the visible edges that pass the filters, edge by edge. */
  visibleStatements({ types, since, until }) {
    const rows = [];
    this.cy.edges().forEach((e) => {
      if (e.hasClass("filtered") || !types.has(e.data("type"))) return;
      for (const st of e.data("statements") || []) {
        if (inDateRange(st, since, until)) rows.push({ edge: e, statement: st });
      }
    });
    return rows;
  }

  /** The whole drawing as a PNG blob (white background, twice the screen's resolution, capped in size). */
  png() {
    return this.cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff", maxWidth: 8000, maxHeight: 8000 });
  }

  clearFresh() {
    this.cy.elements(".fresh").removeClass("fresh");
  }

  /** After the container was hidden: take its size again, and fit if something was drawn meanwhile. */
  shown() {
    this.cy.resize();
    if (this.pendingFit) {
      this.pendingFit = false;
      this.cy.fit(this.cy.elements(":visible"), 50);
      if (this.cy.zoom() > 1.5) this.cy.zoom({ level: 1.5, renderedPosition: { x: this.cy.width() / 2, y: this.cy.height() / 2 } });
    }
  }

  fit() {
    this.cy.animate({ fit: { eles: this.cy.elements(":visible"), padding: 40 } }, { duration: 250 });
  }

  counts() {
    const edges = this.cy.edges(":visible");
    let statements = 0;
    edges.forEach((e) => {
      statements += e.data("count") || 0;
    });
    return { nodes: this.cy.nodes(":visible").length, edges: edges.length, statements };
  }
}
