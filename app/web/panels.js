// DOM rendering for the side panel, the legend, the Responses list and the ingest job. All text goes in
// through textContent (never innerHTML), so nothing an article says can run in the page.

import { NODE_TYPES, RELATION_TYPES, relationStyle } from "./graph.js";

/** h("div", {class: "x", onclick: fn}, child, "text") -> Element */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "cssVars") for (const [k, v] of Object.entries(value)) el.style.setProperty(k, v);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace an element's children, skipping null/false (replaceChildren would print them). */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false && c !== ""));
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";
function shapeIcon(type, size = 16) {
  const { color, shape } = NODE_TYPES[type];
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("width", size);
  svg.setAttribute("height", size);
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  let el;
  const poly = (points) => {
    const p = document.createElementNS(SVG_NS, "polygon");
    p.setAttribute("points", points);
    return p;
  };
  if (shape === "ellipse") {
    el = document.createElementNS(SVG_NS, "circle");
    el.setAttribute("cx", 8);
    el.setAttribute("cy", 8);
    el.setAttribute("r", 7);
  } else if (shape === "round-rectangle" || shape === "rectangle") {
    el = document.createElementNS(SVG_NS, "rect");
    el.setAttribute("x", 1.5);
    el.setAttribute("y", 2.5);
    el.setAttribute("width", 13);
    el.setAttribute("height", 11);
    if (shape === "round-rectangle") el.setAttribute("rx", 3);
  } else if (shape === "hexagon") {
    el = poly("4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8");
  } else if (shape === "diamond") {
    el = poly("8,0.5 15.5,8 8,15.5 0.5,8");
  } else {
    el = poly("8,1 15.5,15 0.5,15");
  }
  el.setAttribute("fill", color);
  svg.append(el);
  return svg;
}

export function renderNodeLegend(container) {
  fill(container,
    ...Object.keys(NODE_TYPES).map((type) => h("li", {}, shapeIcon(type), type)),
  );
}

export function renderRelationFilters(container, enabled, onChange) {
  fill(container,
    ...Object.entries(RELATION_TYPES).map(([type, s]) => {
      const box = h("input", { type: "checkbox", value: type, checked: enabled.has(type) });
      box.addEventListener("change", () => onChange(type, box.checked));
      return h(
        "label",
        { dataset: { relation: type } },
        box,
        h("span", { class: "edge-swatch", cssVars: { "--c": s.color }, "aria-hidden": "true" }),
        s.label,
      );
    }),
  );
}

export function formatDate(value) {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleDateString("en-GB", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

function safeUrl(url) {
  try {
    const u = new URL(url, window.location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

function articleDate(article, observedAt) {
  if (article?.publishedAt) return formatDate(article.publishedAt);
  if (observedAt) return `undated · ingested ${formatDate(observedAt)}`;
  return "date unknown";
}

function articleCard(article, observedAt) {
  if (!article) return h("p", { class: "muted" }, "No article recorded.");
  const url = article.url ? safeUrl(article.url) : null;
  const host = url ? new URL(url).hostname.replace(/^www\./, "") : null;
  return h(
    "div",
    { class: "article-card" },
    h("div", { class: "article-title", "data-testid": "article-title" }, article.title || "Untitled article"),
    h(
      "div",
      { class: "article-meta" },
      h("span", { class: "article-date" }, articleDate(article, observedAt)),
      url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "article-link" }, `Open article ↗ ${host}`) : null,
    ),
  );
}

function confidence(value) {
  if (typeof value !== "number") return null;
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  const bar = h("span");
  bar.style.width = `${pct}%`;
  return h("div", { class: "confidence" }, "confidence", h("div", { class: "confidence-bar" }, bar), `${pct}%`);
}

function statementBlock(st, index, { outside, onRead }) {
  const ev = st.evidence || {};
  return h(
    "li",
    { class: outside ? "statement outside" : "statement", "data-testid": "edge-statement", dataset: { statement: st.id } },
    outside ? h("div", { class: "outside-note" }, "Outside the date filter") : null,
    ev.quote ? h("blockquote", { class: "quote", "data-testid": "edge-quote" }, `“${ev.quote}”`) : null,
    h("p", { class: "sentence", "data-testid": "edge-sentence" }, ev.sentence || "No sentence recorded."),
    articleCard(ev.article, ev.observedAt),
    h(
      "div",
      { class: "statement-foot" },
      confidence(ev.confidence),
      ev.article?.id && onRead
        ? h("button", { type: "button", class: "read-button", "data-testid": "read-article", onclick: () => onRead(st) }, "Read in the article")
        : null,
    ),
  );
}

/**
 * An edge's panel: who did what to whom, how many statements and articles say so, then every statement
 * (quote, sentence, article, confidence) with a way to read it in its article.
 */
export function renderEdgeDetails(panel, edge, { inRange = () => true, onRead = null } = {}) {
  const statements = edge.data("statements") || [];
  const type = edge.data("type");
  const source = edge.source().data("label");
  const target = edge.target().data("label");
  const articles = new Set(statements.map((st) => st.articleId || st.id)).size;
  const summary = `${statements.length} statement${statements.length === 1 ? "" : "s"} · ${articles} article${articles === 1 ? "" : "s"}`;
  fill(panel,
    h("div", { class: "detail-kind" }, "Relation"),
    h(
      "div",
      { class: "relation-line", "data-testid": "edge-relation" },
      h("strong", {}, source),
      h("span", { class: `pill ${type}` }, relationStyle(type).label),
      h("strong", {}, target),
    ),
    h("p", { class: "muted edge-summary", "data-testid": "edge-summary" }, summary),
    h(
      "ol",
      { class: "statements" },
      statements.map((st, i) => statementBlock(st, i, { outside: !inRange(st), onRead })),
    ),
  );
}

/** [start, end) of `needle` in `text` nearest to `near`, or null. */
function nearest(text, needle, near) {
  if (!needle) return null;
  let best = null;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
    if (best === null || Math.abs(i - near) < Math.abs(best - near)) best = i;
  }
  return best === null ? null : [best, best + needle.length];
}

/**
 * Where the evidence sentence and the quote sit in the stored text. The stored offsets are used when they
 * still point at the sentence; otherwise (text re-read since) the sentence is looked for, nearest first.
 * The quote is looked for inside the sentence first, then in the text around it (a quote often ends the
 * sentence before the one that attributes it).
 */
export function locateEvidence(text, evidence) {
  const sentenceText = evidence?.sentence || "";
  const start = evidence?.charStart;
  const end = evidence?.charEnd;
  let sentence = null;
  if (Number.isInteger(start) && Number.isInteger(end) && text.slice(start, end) === sentenceText && sentenceText) {
    sentence = [start, end];
  } else {
    sentence = nearest(text, sentenceText, Number.isInteger(start) ? start : 0);
  }
  let quote = null;
  const q = evidence?.quote;
  if (q) {
    if (sentence) {
      const inside = text.slice(sentence[0], sentence[1]).indexOf(q);
      if (inside !== -1) quote = [sentence[0] + inside, sentence[0] + inside + q.length];
    }
    if (!quote) quote = nearest(text, q, sentence ? sentence[0] : 0);
    // Overlapping the sentence only in part: keep what is outside it apart from what is in it.
    if (quote && sentence && quote[0] < sentence[1] && quote[1] > sentence[0] && !(quote[0] >= sentence[0] && quote[1] <= sentence[1])) {
      quote = quote[0] < sentence[0] ? [quote[0], sentence[0]] : [sentence[1], quote[1]];
    }
  }
  return { sentence, quote };
}

function markedText(text, { sentence, quote }) {
  const quoteEl = (a, b) => h("q", { class: "quote-mark", "data-testid": "reader-quote" }, text.slice(a, b));
  const parts = [];
  let at = 0;
  const cuts = [];
  if (sentence) cuts.push({ at: sentence[0], end: sentence[1], kind: "sentence" });
  if (quote && !(sentence && quote[0] >= sentence[0] && quote[1] <= sentence[1])) cuts.push({ at: quote[0], end: quote[1], kind: "quote" });
  cuts.sort((a, b) => a.at - b.at);
  for (const cut of cuts) {
    parts.push(text.slice(at, cut.at));
    if (cut.kind === "quote") {
      parts.push(quoteEl(cut.at, cut.end));
    } else {
      const inner = [];
      if (quote && quote[0] >= cut.at && quote[1] <= cut.end) {
        inner.push(text.slice(cut.at, quote[0]), quoteEl(quote[0], quote[1]), text.slice(quote[1], cut.end));
      } else {
        inner.push(text.slice(cut.at, cut.end));
      }
      parts.push(h("mark", { class: "evidence-mark", "data-testid": "reader-sentence" }, ...inner.filter(Boolean)));
    }
    at = cut.end;
  }
  parts.push(text.slice(at));
  return parts.filter((p) => p !== "");
}

/**
 * The article reader: the stored text with the statement's sentence highlighted and its quote marked,
 * the article's title, outlet and date, and a link to the source.
 */
export function renderArticle(container, article, statement, { onClose }) {
  const url = article?.url ? safeUrl(article.url) : null;
  const host = url ? new URL(url).hostname.replace(/^www\./, "") : null;
  const text = article?.text || "";
  const where = text ? locateEvidence(text, statement?.evidence) : { sentence: null, quote: null };
  const meta = [article?.source, articleDate(article, statement?.evidence?.observedAt)].filter(Boolean).join(" · ");
  const notes = [];
  if (!text) notes.push("This article's text was not stored (it was ingested before texts were kept); the sentence is shown in the relation panel.");
  else if (!where.sentence) notes.push("The sentence is not in the stored text any more (the article was read again since).");
  if (text && statement?.evidence?.quote && !where.quote) notes.push("The quote does not appear verbatim in the stored text.");
  fill(container,
    h(
      "div",
      { class: "reader-head" },
      h("div", { class: "detail-kind" }, "Article"),
      h("button", { type: "button", class: "reader-close", "aria-label": "Close the article", onclick: onClose }, "×"),
    ),
    h("h3", { class: "reader-title", "data-testid": "reader-title" }, article?.title || "Untitled article"),
    h(
      "div",
      { class: "article-meta" },
      meta ? h("span", {}, meta) : null,
      url
        ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "article-link", "data-testid": "reader-source" }, `Open the source ↗ ${host}`)
        : h("span", { class: "muted", "data-testid": "reader-no-source" }, "No source link recorded"),
    ),
    notes.map((n) => h("p", { class: "reader-note" }, n)),
    text ? h("div", { class: "reader-text", "data-testid": "reader-text" }, ...markedText(text, where)) : null,
  );
  container.hidden = false;
  container.querySelector(".evidence-mark")?.scrollIntoView({ block: "center" });
}

const PROPERTY_HIDDEN = new Set(["id", "name", "type", "aliases", "surname", "created_at", "updated_at", "createdAt", "updatedAt"]);

export function renderNodeDetails(panel, node, { expanded, onRecenter, onResponses }) {
  const props = node.data("properties") || {};
  const rows = Object.entries(props)
    .filter(([k, v]) => !PROPERTY_HIDDEN.has(k) && v !== null && v !== "" && typeof v !== "object")
    .map(([k, v]) => h("tr", {}, h("th", {}, k.replace(/_/g, " ")), h("td", {}, String(v))));
  const aliases = Array.isArray(props.aliases) ? props.aliases.filter((a) => a !== node.data("label")) : [];
  if (aliases.length) rows.push(h("tr", {}, h("th", {}, "also called"), h("td", {}, aliases.join(", "))));
  const degree = node.connectedEdges().length;
  fill(panel,
    h("div", { class: "detail-kind" }, node.data("type")),
    h("h3", { class: "detail-title" }, node.data("label")),
    h("p", { class: "muted" }, `${degree} relation${degree === 1 ? "" : "s"} drawn${expanded ? " · expanded" : ""}`),
    h(
      "div",
      { class: "detail-actions" },
      h("button", { type: "button", class: "primary", onclick: onRecenter }, "Centre graph here"),
      node.data("type") === "Person" ? h("button", { type: "button", onclick: onResponses }, "Responses to them") : null,
    ),
    rows.length ? h("table", { class: "props" }, h("tbody", {}, rows)) : null,
  );
}

/** The offices row of a person's card: "Acting Director of ICE" (current and acting first, then former). */
export function renderOffices(panel, offices) {
  if (!offices.length) return;
  const label = (o) => (o.status === "current" ? o.name : `${o.status[0].toUpperCase()}${o.status.slice(1)} ${o.name}`);
  const list = h("ul", { class: "offices", "data-testid": "person-offices" }, ...offices.map((o) => h("li", { "data-status": o.status }, label(o))));
  panel.querySelector("[data-testid=person-offices]")?.remove(); // a card re-rendered meanwhile
  panel.querySelector(".detail-title")?.after(list);
}

export function renderDetailsHint(panel) {
  fill(panel,
    h(
      "div",
      { class: "details-empty" },
      h("h2", {}, "Details"),
      h(
        "p",
        {},
        "Click an ",
        h("strong", {}, "edge"),
        " to see every statement behind it: the quote, the sentence and the article, which you can read with the sentence highlighted.",
      ),
      h("p", {}, "Click a ", h("strong", {}, "node"), " to expand its neighbours in place."),
    ),
  );
}

export function message(text, { error = false, testid = null } = {}) {
  return h("div", { class: error ? "message error" : "message", role: error ? "alert" : null, "data-testid": testid }, text);
}

const STANCES = [
  ["CRITICIZED", "Criticized"],
  ["ENDORSED", "Endorsed"],
  ["RESPONDED_TO", "Responded"],
];

function officeText(responder) {
  const offices = responder?.offices || [];
  return offices
    .map((o) => [o.title, o.jurisdiction].filter(Boolean).join(", "))
    .filter(Boolean)
    .join("; ");
}

function evidenceBlock(ev, personName, target) {
  const url = ev.article?.url ? safeUrl(ev.article.url) : null;
  const aimedAt = target && target.name && target.name !== personName ? target.name : null;
  return h(
    "div",
    { class: "response-evidence" },
    aimedAt ? h("div", { class: "aimed-at" }, `at ${aimedAt}`) : null,
    ev.quote ? h("blockquote", { class: "quote" }, `“${ev.quote}”`) : null,
    ev.sentence ? h("p", { class: "sentence" }, ev.sentence) : null,
    h(
      "div",
      { class: "article-meta" },
      h("span", { class: "article-title" }, ev.article?.title || "Untitled article"),
      h("span", {}, articleDate(ev.article, ev.observedAt)),
      url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, "Open article ↗") : null,
    ),
  );
}

/** Responses grouped by stance, then by responder (one card per responder, every piece of evidence in it). */
export function renderResponses(container, personName, items) {
  if (!items.length) {
    fill(
      container,
      message(`Nobody in the graph criticized, endorsed or responded to ${personName} (with the current filters).`, {
        testid: "responses-empty",
      }),
    );
    return;
  }
  const groups = STANCES.map(([type, title]) => {
    const rows = items.filter((r) => r.type === type);
    if (!rows.length) return null;
    const byResponder = new Map();
    for (const r of rows) {
      const key = r.responder?.id || r.responder?.name || "?";
      if (!byResponder.has(key)) byResponder.set(key, { responder: r.responder, rows: [] });
      byResponder.get(key).rows.push(r);
    }
    return h(
      "section",
      { class: "stance-group", dataset: { stance: type } },
      h(
        "h3",
        {},
        h("span", { class: `pill ${type}` }, title),
        h("span", { class: "count" }, `${byResponder.size} responder${byResponder.size === 1 ? "" : "s"} · ${rows.length} statement${rows.length === 1 ? "" : "s"}`),
      ),
      [...byResponder.values()].map(({ responder, rows: said }) => {
        const office = officeText(responder);
        return h(
          "article",
          { class: `response-card ${type}`, dataset: { responder: responder?.id || "" } },
          h(
            "div",
            { class: "responder-line" },
            h("span", { class: "responder" }, responder?.name || "Unknown"),
            office ? h("span", { class: "responder-office" }, office) : null,
            h("span", { class: "type-tag" }, responder?.__typename || ""),
          ),
          said.map((r) => evidenceBlock(r.evidence || {}, personName, r.target)),
        );
      }),
    );
  }).filter(Boolean);
  fill(container, ...groups);
}

const COUNT_FIELDS = [
  ["processed", "Processed"],
  ["ingested", "Ingested"],
  ["unchanged", "Unchanged"],
  ["failed", "Failed"],
  ["entitiesWritten", "Entities written"],
  ["relationsWritten", "Relations written"],
];

export function renderJob(container, job, note) {
  const status = job?.status ? String(job.status).toLowerCase() : "queued";
  const total = job?.total || 1;
  const done = status === "succeeded" || status === "failed" ? total : job?.processed || 0;
  const bar = h("span");
  bar.style.width = `${Math.round((100 * done) / total)}%`;
  const errors = Array.isArray(job?.errors) ? job.errors : [];
  container.hidden = false;
  container.dataset.status = status;
  fill(container,
    h(
      "div",
      { class: "job-head" },
      h("strong", {}, "Ingest job"),
      h("code", { class: "muted" }, job?.id || ""),
      h("span", { class: `status-chip ${status}`, "data-testid": "job-status" }, status),
    ),
    h("div", { class: "progress" }, bar),
    h(
      "dl",
      { class: "job-counts" },
      COUNT_FIELDS.filter(([k]) => job && job[k] !== undefined && job[k] !== null).map(([k, label]) =>
        h("div", {}, h("dt", {}, label), h("dd", {}, String(job[k]))),
      ),
    ),
    errors.length
      ? h(
          "ul",
          { class: "job-errors", role: "alert" },
          errors.map((e) => h("li", {}, [e.code, e.message].filter(Boolean).join(": ") || String(e))),
        )
      : null,
    note ? h("p", { class: note.error ? "job-note form-error" : "job-note", role: note.error ? "alert" : null }, note.text) : null,
  );
}
