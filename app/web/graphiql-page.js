// GraphiQL, served from this origin (node_modules via /vendor), opening on two ready-to-run tabs: the
// headline query and an ingest mutation. Loaded after React, ReactDOM and GraphiQL's UMD builds.
/* global React, ReactDOM, GraphiQL */
"use strict";

const RESPONSES_QUERY = `# Who responded to Larry Krasner? Press Ctrl-Enter (or the ▶ button) to run it.
#
# Each answer is one assertion: the responder (with their offices), the stance
# (CRITICIZED, ENDORSED or RESPONDED_TO), what they responded to (Krasner, his office,
# a bill he backed), and the evidence: the sentence, the quote, and the article.
# \`to\` takes an id ("person:larry-krasner"), a name or an alias; add
# types: [CRITICIZED] or since: "2026-01-01T00:00:00Z" to narrow it.
#
# Queries need no token. Mutations do: see the "Ingest an article" tab.
query WhoRespondedToKrasner {
  responses(to: "Krasner") {
    type
    responder {
      id
      name
      ... on Person {
        offices {
          name
        }
      }
    }
    target {
      name
      type
    }
    evidence {
      quote
      sentence
      confidence
      article {
        title
        source
        url
        publishedAt
      }
    }
  }
}
`;

const INGEST_MUTATION = `# Ingest an article: edit the text in Variables below, then run IngestArticle.
#
# Mutations need the API token, sent as a header. Open the Headers pane below and replace
# PASTE-THE-API-TOKEN with it:
#   - \`make run\` / \`kg serve\` prints the token at start-up. Without KG_API_TOKEN set it is a
#     new one on every run; put KG_API_TOKEN=<a long secret> in .env to keep one across runs.
#   - Queries work without it; a mutation without it answers UNAUTHENTICATED.
#
# The mutation answers at once with a job. Copy its id into the "id" variable and run
# IngestJob until status is SUCCEEDED or FAILED. Sending the same text again with a new
# url, source or publishedAt updates the article's metadata (counted in metadataUpdated).
mutation IngestArticle($input: IngestArticleInput!) {
  ingestArticle(input: $input) {
    id
    status
    total
  }
}

query IngestJob($id: ID!) {
  ingestJob(id: $id) {
    status
    ingested
    unchanged
    metadataUpdated
    failed
    errors {
      origin
      code
      message
    }
    articles {
      id
      title
      source
      publishedAt
    }
  }
}
`;

const INGEST_VARIABLES = JSON.stringify(
  {
    input: {
      title: "Mayor praises sheriff",
      source: "Example Daily",
      url: "https://example.org/mayor-praises-sheriff",
      publishedAt: "2026-02-02T09:00:00Z",
      text:
        "Philadelphia Mayor Cherelle Parker praised Sheriff Rochelle Bilal on Monday. " +
        "\"She has done the work,\" Parker said.",
    },
    id: "PASTE-THE-JOB-ID",
  },
  null,
  2,
);

const AUTH_HEADERS = JSON.stringify({ Authorization: "Bearer PASTE-THE-API-TOKEN" }, null, 2);

function start() {
  const root = document.getElementById("graphiql");
  const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).href });
  const app = React.createElement(GraphiQL, {
    fetcher,
    defaultTabs: [
      { query: RESPONSES_QUERY },
      { query: INGEST_MUTATION, variables: INGEST_VARIABLES, headers: AUTH_HEADERS },
    ],
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  });
  ReactDOM.createRoot(root).render(app);
  root.dataset.state = "ready";
}

start();
