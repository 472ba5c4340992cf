// Exports of the current view: the statements as CSV, the drawing as PNG, and the view as a URL.
// Pure functions (no DOM) except `download`.

export const CSV_COLUMNS = [
  "source_id",
  "source",
  "relation",
  "target_id",
  "target",
  "quote",
  "sentence",
  "confidence",
  "article_id",
  "article_title",
  "article_source",
  "article_url",
  "published_at",
  "observed_at",
  "char_start",
  "char_end",
];

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line break). A text starting with
 * = + - @ or a tab would be run as a formula by a spreadsheet: it gets a leading apostrophe.
 */
export function csvField(value) {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** rows: [{source: {id, label}, target: {id, label}, type, statement}] -> CSV text with a header line. */
export function statementsCsv(rows) {
  const lines = [CSV_COLUMNS.join(",")];
  for (const { source, target, type, statement } of rows) {
    const ev = statement.evidence || {};
    const article = ev.article || {};
    const record = {
      source_id: source.id,
      source: source.label,
      relation: type,
      target_id: target.id,
      target: target.label,
      quote: ev.quote,
      sentence: ev.sentence,
      confidence: typeof ev.confidence === "number" ? ev.confidence : null,
      article_id: article.id,
      article_title: article.title,
      article_source: article.source,
      article_url: article.url,
      published_at: article.publishedAt,
      observed_at: ev.observedAt,
      char_start: ev.charStart,
      char_end: ev.charEnd,
    };
    lines.push(CSV_COLUMNS.map((c) => csvField(record[c])).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

/** A file name from the centre's name: "Larry Krasner" -> "newsgraph-larry-krasner.csv". */
export function fileName(name, extension) {
  const slug = String(name || "graph")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `newsgraph-${slug || "graph"}.${extension}`;
}

/** Hand a blob to the browser as a download. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ------------------------------------------------------------------------------------ the view as a URL

const DEFAULT_DEPTH = 1;
const DEFAULT_LIMIT = 200;

/**
 * The view in the URL's fragment: the centre, what was expanded (in order, so the same positions come
 * back), the relation types fetched and shown, the date range, depth and limit, the selection, the
 * article being read and the tab. Only what differs from the defaults is written.
 */
export function viewToHash(view, allTypes) {
  const p = new URLSearchParams();
  if (!view.center) return "";
  p.set("entity", view.center);
  if (view.depth !== DEFAULT_DEPTH) p.set("depth", String(view.depth));
  if (view.limit !== DEFAULT_LIMIT) p.set("limit", String(view.limit));
  const list = (types) => allTypes.filter((t) => types.has(t)).join(",");
  if (view.fetched && view.fetched.size !== allTypes.length) p.set("fetched", list(view.fetched));
  const hidden = new Set(allTypes.filter((t) => !view.types.has(t)));
  if (hidden.size) p.set("hide", list(hidden));
  if (view.since) p.set("since", view.since);
  if (view.until) p.set("until", view.until);
  if (view.expanded.length) p.set("expand", view.expanded.join(","));
  if (view.edge) p.set("edge", view.edge);
  if (view.node) p.set("node", view.node);
  if (view.read) p.set("read", `${view.read.articleId}@${view.read.charStart ?? ""}`);
  if (view.tab && view.tab !== "graph") p.set("view", view.tab);
  // ':', ',' and '|' may stand as they are in a fragment: the link stays readable.
  return `#${p.toString().replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%7C/g, "|")}`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The inverse of viewToHash; anything malformed is dropped rather than guessed. */
export function hashToView(hash, allTypes) {
  const p = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  const center = p.get("entity");
  if (!center) return null;
  const types = (name) => {
    const raw = p.get(name);
    if (raw === null) return new Set(allTypes);
    return new Set(raw.split(",").filter((t) => allTypes.includes(t)));
  };
  const hidden = new Set((p.get("hide") || "").split(","));
  const int = (name, fallback) => {
    const n = Number(p.get(name));
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const read = /^(.+)@(\d*)$/.exec(p.get("read") || "");
  return {
    center,
    depth: int("depth", DEFAULT_DEPTH),
    limit: int("limit", DEFAULT_LIMIT),
    fetched: types("fetched"),
    types: new Set(allTypes.filter((t) => !hidden.has(t))),
    since: DAY.test(p.get("since") || "") ? p.get("since") : "",
    until: DAY.test(p.get("until") || "") ? p.get("until") : "",
    expanded: (p.get("expand") || "").split(",").filter(Boolean),
    edge: p.get("edge") || null,
    node: p.get("node") || null,
    read: read ? { articleId: read[1], charStart: read[2] === "" ? null : Number(read[2]) } : null,
    tab: ["graph", "responses", "ingest"].includes(p.get("view")) ? p.get("view") : "graph",
  };
}
