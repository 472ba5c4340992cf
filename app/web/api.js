// The viewer's only way to the service: POST /graphql. Every query the page runs is in this file.

export const ENDPOINT = "/graphql";

/** An API failure, with `kind` telling the UI what to say: network | timeout | http | graphql | auth. */
export class ApiError extends Error {
  constructor(message, kind, details = []) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.details = details;
  }
}

// A request that takes longer than this is abandoned with a message, rather than leaving a spinner forever.
export const TIMEOUT_MS = 15000;

export async function gql(query, variables = {}, { token, signal, timeoutMs = TIMEOUT_MS } = {}) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forward = () => controller.abort();
  signal?.addEventListener("abort", forward);
  let response;
  let body = null;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    try {
      body = await response.json();
    } catch (err) {
      if (timedOut) throw err;
      body = null;
    }
  } catch (err) {
    if (timedOut) {
      throw new ApiError(
        `The API did not answer within ${Math.round(timeoutMs / 1000)} s; its database may be down or overloaded.`,
        "timeout",
      );
    }
    if (err.name === "AbortError") throw err;
    throw new ApiError("The API cannot be reached. Is the server running?", "network");
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forward);
  }
  if (!body || typeof body !== "object" || (!("data" in body) && !("errors" in body))) {
    const kind = response.status === 401 || response.status === 403 ? "auth" : "http";
    throw new ApiError(
      `The API answered HTTP ${response.status}${response.statusText ? " " + response.statusText : ""} ` +
        "instead of a GraphQL response.",
      kind,
    );
  }
  if (Array.isArray(body.errors) && body.errors.length) {
    const messages = body.errors.map((e) => e.message || String(e));
    const auth = body.errors.some((e) => /auth|token|permission|forbidden/i.test(e.message || ""));
    throw new ApiError(messages.join("; "), auth ? "auth" : "graphql", body.errors);
  }
  return body.data;
}

// ---------------------------------------------------------------------------------------------
// Queries. They follow schema.graphql; the normalisers below absorb small shape differences.

const SEARCH = `
query ViewerSearch($text: String!, $first: Int) {
  search(text: $text, first: $first) {
    totalCount
    edges { node { __typename id name } }
  }
}`;

const SUBGRAPH = `
query ViewerSubgraph($center: String!, $depth: Int!, $types: [RelationType!], $limit: Int!) {
  subgraph(center: $center, depth: $depth, types: $types, limit: $limit) {
    truncated
    nodes { id type label properties }
    edges {
      id source target type
      evidence { sentence quote confidence charStart charEnd observedAt article { id title url source publishedAt } }
    }
  }
}`;

const RESPONSES = `
query ViewerResponses($to: String!, $types: [RelationType!], $since: DateTime, $until: DateTime, $first: Int) {
  responses(to: $to, types: $types, since: $since, until: $until, first: $first) {
    type
    responder { __typename id name ... on Person { offices { title jurisdiction } } }
    target { __typename id name }
    evidence { sentence quote confidence observedAt article { id title url publishedAt } }
  }
}`;

const INGEST = `
mutation ViewerIngest($input: IngestArticleInput!) {
  ingestArticle(input: $input) { id status }
}`;

const JOB = `
query ViewerJob($id: ID!) {
  ingestJob(id: $id) {
    id status total processed ingested unchanged failed
    entitiesWritten relationsWritten articleIds
    errors { origin code message }
  }
}`;

const PING = `query ViewerPing { __typename }`;

export async function ping() {
  await gql(PING);
}

export async function search(text, first = 8, signal = undefined) {
  const data = await gql(SEARCH, { text, first }, { signal });
  const conn = data.search || { edges: [] };
  return {
    total: conn.totalCount ?? conn.edges.length,
    items: conn.edges.map(({ node }) => ({ id: node.id, name: node.name, type: node.__typename })),
  };
}

export async function subgraph(center, { depth = 1, types = null, limit = 200 } = {}) {
  const data = await gql(SUBGRAPH, { center, depth, types, limit });
  return normaliseSubgraph(data.subgraph);
}

export async function responses(to, { types = null, since = null, until = null, first = 100 } = {}) {
  const data = await gql(RESPONSES, { to, types, since, until, first });
  return (data.responses || []).map((r) => ({
    type: r.type,
    responder: r.responder,
    target: r.target,
    evidence: normaliseEvidence(r.evidence),
  }));
}

const OFFICES = `query ViewerOffices($id: ID!) {
  entity(id: $id) {
    ... on Person {
      relations(types: [HOLDS_OFFICE], direction: OUT, first: 20) {
        nodes { status target { id name } }
      }
    }
  }
}`;

/** A person's offices with their status (current, acting, former), one per office, current first. */
export async function personOffices(id) {
  const data = await gql(OFFICES, { id });
  const seen = new Map();
  for (const r of data.entity?.relations?.nodes || []) {
    const known = seen.get(r.target.id);
    // The same office read from several articles: a current reading wins over an old one.
    if (!known || (known.status === "former" && r.status !== "former")) {
      seen.set(r.target.id, { name: r.target.name, status: r.status || "current" });
    }
  }
  const rank = { acting: 0, current: 0, former: 1 };
  return [...seen.values()].sort((a, b) => (rank[a.status] ?? 0) - (rank[b.status] ?? 0));
}

const ARTICLE = `query ViewerArticle($id: ID!) {
  article(id: $id) { id title url source publishedAt text }
}`;

/** One article with its stored text, for the reader; null when the graph has no such article. */
export async function article(id, signal = undefined) {
  const data = await gql(ARTICLE, { id }, { signal });
  return data.article;
}

export async function ingestArticle(input, token) {
  const data = await gql(INGEST, { input }, { token });
  return data.ingestArticle;
}

export async function ingestJob(id) {
  const data = await gql(JOB, { id });
  return data.ingestJob;
}

// ---------------------------------------------------------------------------------------------
// Normalisers: one place turning API records into what the page draws.

function parseJson(value) {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function normaliseEvidence(raw) {
  let ev = parseJson(raw);
  if (Array.isArray(ev)) ev = ev[0];
  if (!ev || typeof ev !== "object") return null;
  const article = parseJson(ev.article) || {};
  return {
    sentence: ev.sentence ?? ev.evidence ?? null,
    quote: ev.quote ?? null,
    confidence: typeof ev.confidence === "number" ? ev.confidence : null,
    // When the article has no date, the graph dates the assertion by its ingest time.
    observedAt: ev.observedAt ?? ev.observed_at ?? null,
    charStart: Number.isInteger(ev.charStart) ? ev.charStart : null,
    charEnd: Number.isInteger(ev.charEnd) ? ev.charEnd : null,
    article: {
      id: article.id ?? ev.article_id ?? ev.articleId ?? null,
      title: article.title ?? null,
      url: article.url ?? null,
      source: article.source ?? null,
      publishedAt: article.publishedAt ?? article.published_at ?? null,
    },
  };
}

export function normaliseSubgraph(sg) {
  if (!sg) return { nodes: [], edges: [], truncated: false };
  const nodes = (sg.nodes || []).map((n) => {
    const properties = parseJson(n.properties) || {};
    return {
      id: n.id,
      type: n.type || properties.type || "Entity",
      label: n.label || properties.name || n.id,
      properties,
    };
  });
  const edges = (sg.edges || []).map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: e.type,
    evidence: normaliseEvidence(e.evidence),
  }));
  return { nodes, edges, truncated: Boolean(sg.truncated) };
}

const JOB_ENTITIES = `
query ViewerJobEntities($id: ID!) {
  ingestJob(id: $id) { id articles { id assertions { source { id } target { id } } } }
}`;

/** The entities an ingest job wrote: both ends of every assertion read from its articles. */
export async function jobEntityIds(job) {
  const data = await gql(JOB_ENTITIES, { id: job.id });
  const ids = new Set();
  for (const article of data.ingestJob?.articles || []) {
    for (const r of article.assertions || []) {
      if (r.source?.id) ids.add(r.source.id);
      if (r.target?.id) ids.add(r.target.id);
    }
  }
  return [...ids];
}
