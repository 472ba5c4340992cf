// The viewer's entry point: wires search, the graph, filters, the Responses view and the ingest form.
// Plain ES modules; the only library is Cytoscape.js, served from this origin at /vendor/.

import * as api from "./api.js";
import { download, fileName, hashToView, statementsCsv, viewToHash } from "./export.js";
import { GraphView, inDateRange, RELATION_TYPES } from "./graph.js";
import {
  h,
  message,
  renderArticle,
  renderDetailsHint,
  renderEdgeDetails,
  renderJob,
  renderNodeDetails,
  renderNodeLegend,
  renderOffices,
  renderRelationFilters,
  renderResponses,
} from "./panels.js";

const $ = (id) => document.getElementById(id);
const ALL_TYPES = Object.keys(RELATION_TYPES);
const STANCE_TYPES = ["CRITICIZED", "ENDORSED", "RESPONDED_TO"];
const POLL_MS = 800;
const POLL_GIVE_UP_MS = 5 * 60 * 1000;

const state = {
  view: "graph",
  center: null, // {id, name, type}
  focusPerson: null, // whose responses the Responses view lists
  expanded: new Set(),
  expandOrder: [], // the nodes expanded after the centre, in order (the URL replays them)
  selectedEdge: null,
  reading: null, // {articleId, charStart}: the statement open in the reader
  types: new Set(ALL_TYPES),
  fetchedTypes: new Set(ALL_TYPES),
  since: "",
  until: "",
  truncated: false,
  retry: null,
  offices: new Map(), // person id -> offices fetched for their card (this centre's view)
};
let graph = null;

// ----------------------------------------------------------------------------------- status + errors

function setApiStatus(ok, text) {
  const el = $("api-status");
  el.dataset.status = ok ? "ok" : "down";
  el.querySelector(".api-status-text").textContent = text || (ok ? "API connected" : "API unreachable");
}

function describe(err) {
  if (err instanceof api.ApiError) {
    if (err.kind === "network") return "The API at /graphql cannot be reached — the server may be down.";
    if (err.kind === "timeout") return err.message;
    if (err.kind === "auth") return `The API refused the request: ${err.message}`;
    if (err.kind === "http") return `The API is not answering properly: ${err.message}`;
    return `The API reported an error: ${err.message}`;
  }
  return `Something went wrong in the viewer: ${err && err.message ? err.message : err}`;
}

function showBanner(text, retry) {
  const banner = $("banner");
  banner.querySelector(".banner-text").textContent = text;
  banner.querySelector(".banner-retry").hidden = !retry;
  state.retry = retry || null;
  banner.hidden = false;
  document.body.dataset.error = "true";
}

function hideBanner() {
  $("banner").hidden = true;
  delete document.body.dataset.error;
}

const INTRO_TITLE = "Explore who said what about whom";
const INTRO_TEXT =
  "Search for a person, office, organization or bill above — try “Kras” — and pick a suggestion. " +
  "Click a node to expand its neighbours; click an edge to read the evidence.";

function apiFailed(err, retry) {
  if (err && err.name === "AbortError") return;
  console.error(err);
  const down = err instanceof api.ApiError && ["network", "http", "timeout"].includes(err.kind);
  if (down) setApiStatus(false);
  showBanner(describe(err), retry);
  // Nothing drawn yet: the middle of the page says it too, instead of an inviting blank canvas.
  if (down && graph && graph.cy.nodes().length === 0) {
    showGraphEmpty("The API is unavailable", `${describe(err)} The viewer will work again once it answers.`, {
      error: true,
    });
  }
}

function apiWorked() {
  setApiStatus(true);
  if (document.body.dataset.error) hideBanner();
  const empty = $("graph-empty");
  if (!empty.hidden && empty.classList.contains("error") && graph && graph.cy.nodes().length === 0) {
    showGraphEmpty(INTRO_TITLE, INTRO_TEXT);
  }
}

// ----------------------------------------------------------------------------------- views

function showView(view) {
  state.view = view;
  for (const tab of document.querySelectorAll(".tabs [role=tab]")) {
    tab.setAttribute("aria-selected", String(tab.dataset.view === view));
  }
  for (const name of ["graph", "responses", "ingest"]) $(`view-${name}`).hidden = name !== view;
  if (view === "graph" && graph) graph.shown();
  if (view === "responses") loadResponses();
  updateHash();
}

function setBusy(text) {
  $("graph-busy").hidden = !text;
  if (text) $("graph-busy").querySelector(".busy-text").textContent = text;
}

function showGraphEmpty(title, text, { error = false } = {}) {
  const box = $("graph-empty");
  box.classList.toggle("error", error);
  box.replaceChildren(h("h3", {}, title), h("p", {}, text));
  box.hidden = false;
}

function updateToolbar() {
  $("graph-center-name").textContent = state.center ? state.center.name : "No entity selected";
  const { nodes, edges, statements } = graph ? graph.counts() : { nodes: 0, edges: 0, statements: 0 };
  $("graph-counts").textContent = state.center
    ? `${nodes} nodes · ${edges} edges · ${statements} statement${statements === 1 ? "" : "s"}`
    : "";
  for (const id of ["btn-png", "btn-csv", "btn-link"]) $(id).disabled = !state.center || nodes === 0;
  const notice = $("truncated-notice");
  notice.hidden = !state.truncated;
  notice.textContent = state.truncated
    ? `Truncated: showing ${nodes} nodes of more — the API's limit was reached. Lower the depth or filter relations.`
    : "";
  document.body.dataset.nodes = String(nodes);
}

// ----------------------------------------------------------------------------------- search

const search = { controller: null, timer: null, items: [], active: -1 };

function renderSuggestions(children) {
  const list = $("search-results");
  list.replaceChildren(...children);
  list.hidden = children.length === 0;
  $("search-input").setAttribute("aria-expanded", String(!list.hidden));
}

function highlight(index) {
  search.active = index;
  [...$("search-results").querySelectorAll("li[role=option]")].forEach((li, i) => {
    li.setAttribute("aria-selected", String(i === index));
    if (i === index) li.scrollIntoView({ block: "nearest" });
  });
}

async function runSearch(text) {
  search.controller?.abort();
  const controller = new AbortController();
  search.controller = controller;
  const slow = setTimeout(() => {
    if (!controller.signal.aborted) renderSuggestions([h("li", { class: "search-message" }, `Searching for “${text}”…`)]);
  }, 500);
  try {
    const result = await api.search(text, 8, controller.signal);
    if (controller.signal.aborted || $("search-input").value.trim() !== text) return;
    apiWorked();
    search.items = result.items;
    search.active = -1;
    if (!result.items.length) {
      renderSuggestions([h("li", { class: "search-message", "data-testid": "search-empty" }, `No entity matches “${text}”.`)]);
      return;
    }
    renderSuggestions(
      result.items.map((item, i) =>
        h(
          "li",
          { role: "option", id: `search-option-${i}`, "aria-selected": "false", dataset: { id: item.id }, onmousedown: (e) => { e.preventDefault(); pick(item); } },
          h("span", {}, item.name),
          h("span", { class: "type-tag" }, item.type),
        ),
      ),
    );
  } catch (err) {
    if (err.name === "AbortError") return;
    search.items = [];
    renderSuggestions([h("li", { class: "search-message error" }, describe(err))]);
    apiFailed(err, () => runSearch(text));
  } finally {
    clearTimeout(slow);
  }
}

function onSearchInput() {
  clearTimeout(search.timer);
  const text = $("search-input").value.trim();
  if (text.length < 2) {
    renderSuggestions([]);
    return;
  }
  search.timer = setTimeout(() => runSearch(text), 180);
}

function onSearchKey(event) {
  const n = search.items.length;
  if (event.key === "ArrowDown" && n) {
    event.preventDefault();
    highlight((search.active + 1) % n);
  } else if (event.key === "ArrowUp" && n) {
    event.preventDefault();
    highlight((search.active - 1 + n) % n);
  } else if (event.key === "Enter") {
    event.preventDefault();
    const item = search.items[Math.max(0, search.active)];
    if (item) pick(item);
  } else if (event.key === "Escape") {
    renderSuggestions([]);
  }
}

function pick(item) {
  renderSuggestions([]);
  $("search-input").value = item.name;
  $("search-input").blur();
  loadCenter(item);
}

// ----------------------------------------------------------------------------------- graph

function fetchTypes() {
  return state.types.size === ALL_TYPES.length ? null : [...state.types];
}

function options() {
  return { depth: Number($("opt-depth").value), limit: Number($("opt-limit").value), types: fetchTypes() };
}

async function loadCenter(item, { keepView = false } = {}) {
  state.center = { id: item.id, name: item.name, type: item.type };
  if (item.type === "Person") state.focusPerson = { id: item.id, name: item.name };
  state.expandOrder = [];
  state.selectedEdge = null;
  state.detailNode = null;
  state.offices.clear();
  closeReader({ silent: true });
  if (state.view !== "graph" && !keepView) showView("graph");
  setBusy(`Loading the neighbourhood of ${item.name}…`);
  document.body.dataset.graph = "loading";
  try {
    const data = await api.subgraph(item.id, options());
    apiWorked();
    state.fetchedTypes = new Set(fetchTypes() || ALL_TYPES);
    state.expanded = new Set([item.id]);
    state.truncated = data.truncated;
    const centerNode = data.nodes.find((n) => n.id === item.id);
    if (centerNode) state.center.name = centerNode.label;
    if (!data.nodes.length) {
      graph.replace({ nodes: [], edges: [] }, item.id);
      showGraphEmpty("Nothing to draw", `${item.name} has no relations in the graph yet (with the current filters).`);
    } else {
      $("graph-empty").hidden = true;
      graph.replace(data, item.id);
      applyFilters();
    }
    renderDetailsHint($("details"));
    document.body.dataset.graph = "ready";
    updateHash();
  } catch (err) {
    document.body.dataset.graph = "error";
    if (graph.cy.nodes().length === 0) {
      showGraphEmpty("The graph could not be loaded", describe(err), { error: true });
    }
    apiFailed(err, () => loadCenter(item));
  } finally {
    setBusy(null);
    updateToolbar();
  }
}

async function expand(node, { animate = true } = {}) {
  const id = node.id();
  if (state.expanded.has(id)) return;
  node.addClass("loading");
  setBusy(`Expanding ${node.data("label")}…`);
  try {
    const data = await api.subgraph(id, { ...options(), depth: 1 });
    apiWorked();
    state.expanded.add(id);
    state.expandOrder.push(id);
    node.addClass("expanded");
    const added = graph.merge(data, id, { animate });
    if (data.truncated) state.truncated = true;
    applyFilters();
    if (state.detailNode === id) showNodeDetails(node);
    if (!added.nodes.length && !added.edges.length) flash(`${node.data("label")} has no further neighbours.`);
    updateHash();
  } catch (err) {
    apiFailed(err, () => expand(node));
  } finally {
    node.removeClass("loading");
    setBusy(null);
    updateToolbar();
  }
}

let flashTimer = null;
function flash(text) {
  setBusy(text);
  $("graph-busy").querySelector(".spinner").hidden = true;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => {
    $("graph-busy").querySelector(".spinner").hidden = false;
    setBusy(null);
  }, 1800);
}

function applyFilters() {
  if (!graph) return;
  graph.applyFilters({ types: state.types, since: state.since, until: state.until });
  updateToolbar();
  const selected = graph.cy.$(":selected");
  if (selected.nonempty() && selected.hasClass("filtered")) {
    selected.unselect();
    state.selectedEdge = null;
    renderDetailsHint($("details"));
  } else if (state.selectedEdge) {
    const edge = graph.cy.getElementById(state.selectedEdge);
    if (edge.nonempty()) showEdgeDetails(edge); // the date range marks statements outside it
  }
  updateHash();
}

async function onFilterChange() {
  applyFilters();
  // A type enabled now that was not fetched before: fetch again around what is expanded (positions kept).
  const missing = [...state.types].some((t) => !state.fetchedTypes.has(t));
  if (missing && state.center) {
    setBusy("Loading relations…");
    try {
      for (const id of state.expanded) {
        const data = await api.subgraph(id, { ...options(), depth: id === state.center.id ? options().depth : 1 });
        graph.merge(data, id);
      }
      state.fetchedTypes = new Set([...state.fetchedTypes, ...state.types]);
      apiWorked();
      applyFilters();
    } catch (err) {
      apiFailed(err, onFilterChange);
    } finally {
      setBusy(null);
    }
  }
  if (state.view === "responses") loadResponses();
}

function showNodeDetails(node) {
  state.detailNode = node.id();
  state.selectedEdge = null;
  updateHash();
  renderNodeDetails($("details"), node, {
    expanded: state.expanded.has(node.id()),
    onRecenter: () => loadCenter({ id: node.id(), name: node.data("label"), type: node.data("type") }),
    onResponses: () => {
      state.focusPerson = { id: node.id(), name: node.data("label") };
      showView("responses");
    },
  });
  if (node.data("type") !== "Person") return;
  // A card re-drawn (after its node is expanded) shows the offices already fetched at once, rather than
  // wiping them and fetching again.
  const known = state.offices.get(node.id());
  if (known) renderOffices($("details"), known);
  else loadOffices(node.id());
}

/** A person's offices on their card; a failed fetch (a busy server) is tried again a few times while the
 * card still shows that person, and the card stays complete without them if it never answers. */
async function loadOffices(id, attempts = 5) {
  for (let n = 0; n < attempts && state.detailNode === id; n++) {
    try {
      const offices = await api.personOffices(id);
      state.offices.set(id, offices);
      if (state.detailNode === id) renderOffices($("details"), offices);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500 * (n + 1)));
    }
  }
}

function onNodeTap(node) {
  if (node.data("type") === "Person") state.focusPerson = { id: node.id(), name: node.data("label") };
  showNodeDetails(node);
  expand(node);
}

function onEdgeTap(edge) {
  if (state.selectedEdge !== edge.id()) closeReader({ silent: true });
  state.detailNode = null;
  state.selectedEdge = edge.id();
  showEdgeDetails(edge);
  document.body.dataset.edge = edge.id();
  updateHash();
}

function showEdgeDetails(edge) {
  renderEdgeDetails($("details"), edge, {
    inRange: (st) => inDateRange(st, state.since, state.until),
    onRead: (st) => openReader(st),
  });
}

// ----------------------------------------------------------------------------------- article reader

let readerSeq = 0;

/** Open the statement's article with its sentence highlighted and its quote marked. */
async function openReader(statement) {
  const articleId = statement?.evidence?.article?.id;
  if (!articleId) return;
  const box = $("reader");
  const seq = ++readerSeq;
  state.reading = { articleId, charStart: statement.evidence.charStart ?? null };
  box.hidden = false;
  box.dataset.state = "loading";
  box.replaceChildren(message("Loading the article…"));
  updateHash();
  try {
    const article = await api.article(articleId);
    if (seq !== readerSeq) return;
    apiWorked();
    if (!article) {
      box.replaceChildren(message("The graph has no such article any more.", { error: true }));
      box.dataset.state = "error";
      return;
    }
    renderArticle(box, article, statement, { onClose: () => closeReader() });
    box.dataset.state = "ready";
  } catch (err) {
    if (seq !== readerSeq) return;
    box.dataset.state = "error";
    box.replaceChildren(message(describe(err), { error: true }));
    apiFailed(err, () => openReader(statement));
  }
}

function closeReader({ silent = false } = {}) {
  readerSeq++;
  state.reading = null;
  $("reader").hidden = true;
  $("reader").replaceChildren();
  delete $("reader").dataset.state;
  if (!silent) updateHash();
}

// ----------------------------------------------------------------------------------- exports + URL

let restoring = false;

function currentView() {
  return {
    center: state.center?.id,
    depth: Number($("opt-depth").value),
    limit: Number($("opt-limit").value),
    fetched: state.fetchedTypes,
    types: state.types,
    since: state.since,
    until: state.until,
    expanded: state.expandOrder,
    edge: state.selectedEdge,
    node: state.detailNode,
    read: state.reading,
    tab: state.view,
  };
}

/** Keep the address bar on the view shown, so that copying it (or "Copy link") reopens the same view. */
function updateHash() {
  if (restoring || !state.center) return;
  const hash = viewToHash(currentView(), ALL_TYPES);
  if (hash !== window.location.hash) history.replaceState(null, "", hash || window.location.pathname);
}

function statementRows() {
  return graph.visibleStatements({ types: state.types, since: state.since, until: state.until }).map(({ edge, statement }) => ({
    source: { id: edge.source().id(), label: edge.source().data("label") },
    target: { id: edge.target().id(), label: edge.target().data("label") },
    type: edge.data("type"),
    statement,
  }));
}

function exportCsv() {
  const rows = statementRows();
  // A byte-order mark so that spreadsheet programs read the curly quotes and accents as UTF-8.
  const blob = new Blob(["\ufeff", statementsCsv(rows)], { type: "text/csv;charset=utf-8" });
  download(blob, fileName(state.center?.name, "csv"));
  flash(`Downloaded ${rows.length} statement${rows.length === 1 ? "" : "s"} as CSV.`);
}

async function exportPng() {
  try {
    const blob = await graph.png();
    download(blob, fileName(state.center?.name, "png"));
    flash("Downloaded the graph as PNG.");
  } catch (err) {
    showBanner(`The image could not be made: ${err && err.message ? err.message : err}`);
  }
}

async function copyLink() {
  updateHash();
  try {
    await navigator.clipboard.writeText(window.location.href);
    flash("Link copied: it reopens this view.");
  } catch {
    flash("Copy the address bar: it reopens this view.");
  }
}

/** Rebuild a view from the URL: the same fetches in the same order, so the same positions come back. */
async function restoreView(view) {
  restoring = true;
  document.body.dataset.restore = "running";
  try {
    for (const [id, value] of [["opt-depth", view.depth], ["opt-limit", view.limit]]) {
      if ([...$(id).options].some((o) => Number(o.value) === value)) $(id).value = String(value);
    }
    state.types = new Set(view.fetched);
    state.since = view.since;
    state.until = view.until;
    $("filter-since").value = view.since;
    $("filter-until").value = view.until;
    const type = view.center.split(":")[0] === "person" ? "Person" : null;
    await loadCenter({ id: view.center, name: view.center, type }, { keepView: true });
    if (document.body.dataset.graph !== "ready") return;
    for (const id of view.expanded) {
      const node = graph.cy.getElementById(id);
      if (node.nonempty()) await expand(node, { animate: false });
    }
    state.types = new Set(view.types);
    renderFilters();
    restoring = false;
    await onFilterChange();
    restoring = true;
    if (view.edge) {
      const edge = graph.cy.getElementById(view.edge);
      if (edge.nonempty() && !edge.hasClass("filtered")) {
        edge.select();
        onEdgeTap(edge);
        const wanted = view.read;
        const statement = wanted
          ? edge.data("statements").find(
              (st) =>
                st.evidence?.article?.id === wanted.articleId &&
                (wanted.charStart === null || st.evidence?.charStart === wanted.charStart),
            )
          : null;
        if (statement) openReader(statement);
      }
    } else if (view.node) {
      const node = graph.cy.getElementById(view.node);
      if (node.nonempty()) {
        node.select();
        showNodeDetails(node);
      }
    }
    if (view.tab !== "graph") showView(view.tab);
  } finally {
    restoring = false;
    updateHash();
    document.body.dataset.restore = "done";
  }
}

// ----------------------------------------------------------------------------------- responses

let responsesSeq = 0;
async function loadResponses() {
  const body = $("responses-body");
  const person = state.focusPerson;
  if (!person) {
    $("responses-title").textContent = "Responses";
    body.replaceChildren(message("Pick a person first: search for one, or click a person in the graph."));
    return;
  }
  $("responses-title").textContent = `Responses to ${person.name}`;
  const types = STANCE_TYPES.filter((t) => state.types.has(t));
  if (!types.length) {
    body.replaceChildren(message("All stance relations are filtered out. Tick criticized, endorsed or responded to."));
    return;
  }
  body.replaceChildren(message(`Loading responses to ${person.name}…`));
  const seq = ++responsesSeq;
  try {
    const items = await api.responses(person.id, {
      types,
      since: state.since ? `${state.since}T00:00:00Z` : null,
      until: state.until ? `${state.until}T23:59:59Z` : null,
    });
    if (seq !== responsesSeq) return;
    apiWorked();
    renderResponses(body, person.name, items);
  } catch (err) {
    if (seq !== responsesSeq) return;
    body.replaceChildren(message(describe(err), { error: true, testid: "responses-error" }));
    apiFailed(err, loadResponses);
  }
}

// ----------------------------------------------------------------------------------- ingest

function ingestInput() {
  const value = (id) => $(id).value.trim();
  const input = { text: $("ingest-text").value };
  if (value("ingest-title")) input.title = value("ingest-title");
  if (value("ingest-url")) input.url = value("ingest-url");
  if (value("ingest-source")) input.source = value("ingest-source");
  if (value("ingest-published")) input.publishedAt = `${value("ingest-published")}T00:00:00Z`;
  return input;
}

async function onIngestSubmit(event) {
  event.preventDefault();
  const errorBox = $("ingest-form-error");
  errorBox.textContent = "";
  const token = $("ingest-token").value.trim();
  const input = ingestInput();
  if (!token) {
    errorBox.textContent = "The API token is required to ingest.";
    $("ingest-token").focus();
    return;
  }
  if (!input.text.trim()) {
    errorBox.textContent = "Paste the article's text first.";
    $("ingest-text").focus();
    return;
  }
  sessionStorage.setItem("kg-token", token);
  const button = $("ingest-submit");
  button.disabled = true;
  const jobBox = $("ingest-job");
  try {
    const job = await api.ingestArticle(input, token);
    apiWorked();
    renderJob(jobBox, job);
    await pollJob(job.id, jobBox);
  } catch (err) {
    errorBox.textContent = describe(err);
    if (err instanceof api.ApiError && ["network", "http", "timeout"].includes(err.kind)) apiFailed(err);
  } finally {
    button.disabled = false;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function pollJob(id, jobBox) {
  const started = Date.now();
  let failures = 0;
  let missing = 0;
  for (;;) {
    let job;
    try {
      job = await api.ingestJob(id);
      failures = 0;
      apiWorked();
    } catch (err) {
      failures += 1;
      if (failures >= 5) {
        renderJob(jobBox, { id, status: "unknown" }, { error: true, text: `Lost track of the job: ${describe(err)}` });
        return;
      }
      await sleep(POLL_MS * failures);
      continue;
    }
    if (!job) {
      // A job the API does not know (yet): give it a few polls before saying so.
      missing += 1;
      if (missing >= 8) {
        renderJob(jobBox, { id, status: "failed" }, { error: true, text: "The API does not know this job." });
        return;
      }
      await sleep(POLL_MS);
      continue;
    }
    const status = String(job.status).toLowerCase();
    if (status === "failed") {
      renderJob(jobBox, job, { error: true, text: "The job failed; nothing from this article was added to the graph." });
      return;
    }
    if (status === "succeeded") {
      renderJob(jobBox, job, { text: "Succeeded. Adding what was extracted to the graph…" });
      const note = await showIngested(job);
      renderJob(jobBox, job, note);
      return;
    }
    renderJob(jobBox, job);
    if (Date.now() - started > POLL_GIVE_UP_MS) {
      renderJob(jobBox, job, { error: true, text: "The job is taking unusually long; check back later." });
      return;
    }
    await sleep(POLL_MS);
  }
}

/** Draw the new entities: the neighbourhood of what the job wrote, merged into the current graph. */
async function showIngested(job) {
  try {
    const ids = await api.jobEntityIds(job);
    if (!ids.length && !state.center) return { text: "Done. Nothing new to draw." };
    let added = 0;
    graph.clearFresh();
    const anchors = state.center ? [state.center.id, ...ids] : ids;
    for (const id of anchors.slice(0, 20)) {
      const data = await api.subgraph(id, { ...options(), depth: 1 });
      if (!state.center && data.nodes.length) {
        const c = data.nodes.find((n) => n.id === id) || data.nodes[0];
        state.center = { id: c.id, name: c.label, type: c.type };
        state.expanded = new Set([c.id]);
        graph.replace(data, c.id);
        $("graph-empty").hidden = true;
        graph.cy.nodes().addClass("fresh");
        added += data.nodes.length;
      } else {
        const { nodes } = graph.merge(data, graph.cy.getElementById(id).nonempty() ? id : state.center.id, { fresh: true });
        added += nodes.length;
      }
    }
    applyFilters();
    updateToolbar();
    return {
      text: added
        ? `Done. ${added} new node${added === 1 ? "" : "s"} now appear in the graph, outlined in amber.`
        : "Done. The article added no entities that are not already drawn.",
    };
  } catch (err) {
    return { error: true, text: `The job succeeded, but the graph could not be refreshed: ${describe(err)}` };
  }
}

// ----------------------------------------------------------------------------------- boot

function renderFilters() {
  renderRelationFilters($("relation-filters"), state.types, (type, on) => {
    if (on) state.types.add(type);
    else state.types.delete(type);
    onFilterChange();
  });
}

function wire() {
  renderNodeLegend($("node-legend"));
  renderFilters();
  $("search-input").addEventListener("input", onSearchInput);
  $("search-input").addEventListener("keydown", onSearchKey);
  $("search-input").addEventListener("blur", () => setTimeout(() => renderSuggestions([]), 150));
  for (const tab of document.querySelectorAll(".tabs [role=tab]")) {
    tab.addEventListener("click", () => showView(tab.dataset.view));
  }
  $("filter-since").addEventListener("change", (e) => {
    state.since = e.target.value;
    onFilterChange();
  });
  $("filter-until").addEventListener("change", (e) => {
    state.until = e.target.value;
    onFilterChange();
  });
  $("filter-reset").addEventListener("click", () => {
    state.types = new Set(ALL_TYPES);
    state.since = state.until = "";
    $("filter-since").value = $("filter-until").value = "";
    renderFilters();
    onFilterChange();
  });
  for (const id of ["opt-depth", "opt-limit"]) {
    $(id).addEventListener("change", () => state.center && loadCenter(state.center));
  }
  $("btn-fit").addEventListener("click", () => graph && graph.fit());
  $("btn-png").addEventListener("click", exportPng);
  $("btn-csv").addEventListener("click", exportCsv);
  $("btn-link").addEventListener("click", copyLink);
  $("banner").querySelector(".banner-retry").addEventListener("click", () => {
    const retry = state.retry;
    hideBanner();
    if (retry) retry();
    else checkApi();
  });
  $("banner").querySelector(".banner-close").addEventListener("click", hideBanner);
  $("ingest-form").addEventListener("submit", onIngestSubmit);
  $("ingest-token").value = sessionStorage.getItem("kg-token") || "";
}

async function checkApi() {
  try {
    await api.ping();
    apiWorked();
    return true;
  } catch (err) {
    setApiStatus(false);
    if (!state.center) {
      showGraphEmpty("The API is unavailable", `${describe(err)} The viewer will work again once it answers.`, {
        error: true,
      });
    }
    apiFailed(err, async () => {
      if ((await checkApi()) && state.center) loadCenter(state.center);
    });
    return false;
  }
}

async function boot() {
  wire();
  let cytoscape;
  try {
    ({ default: cytoscape } = await import("/vendor/cytoscape.esm.min.mjs"));
  } catch (err) {
    showGraphEmpty(
      "The graph library did not load",
      "Cytoscape.js is missing from this server (/vendor/cytoscape.esm.min.mjs). Run `make` to install it.",
      { error: true },
    );
    showBanner("The viewer's graph library could not be loaded from this server.");
    document.body.dataset.state = "error";
    return;
  }
  graph = new GraphView(cytoscape, $("cy"), {
    onNode: onNodeTap,
    onEdge: onEdgeTap,
    onBackground: () => {
      state.detailNode = null;
      state.selectedEdge = null;
      renderDetailsHint($("details"));
      updateHash();
    },
  });
  window.kgViewer = {
    get cy() {
      return graph.cy;
    },
    graph,
    state,
    loadCenter,
    expand,
    statementRows,
  };
  document.body.dataset.state = "ready";
  const ok = await checkApi();
  const view = hashToView(window.location.hash, ALL_TYPES);
  if (ok && view) await restoreView(view);
  else document.body.dataset.restore = "done";
}

boot();
