// The GraphQL-over-HTTP audit suite (graphql-http's auditServer) against a running server.
// Usage: node tests/conformance/audit.mjs [URL]   (default http://127.0.0.1:8000/graphql)
// Prints one line per audit and, last, a JSON summary; exits 1 when any MUST audit fails.
import { auditServer } from 'graphql-http';

const url = process.argv[2] || process.env.KG_GRAPHQL_URL || 'http://127.0.0.1:8000/graphql';
const results = await auditServer({ url });

const summary = { url, total: results.length, ok: 0, warn: 0, error: 0, failures: [] };
for (const r of results) {
  summary[r.status] += 1;
  const level = r.name.startsWith('MUST') ? 'MUST' : r.name.startsWith('SHOULD') ? 'SHOULD' : 'MAY';
  console.log(`${r.status.padEnd(5)} ${r.id} ${r.name}`);
  if (r.status !== 'ok') {
    let detail = r.reason;
    if (r.response) {
      const body = await r.response.text().catch(() => '');
      detail += ` [${r.response.status} ${r.response.headers.get('content-type')}] ${body.slice(0, 200)}`;
    }
    console.log(`      ${detail}`);
    summary.failures.push({ id: r.id, level, name: r.name, reason: r.reason });
  }
}
summary.mustFailures = summary.failures.filter((f) => f.level === 'MUST').length;
console.log(JSON.stringify(summary));
process.exit(summary.mustFailures > 0 ? 1 : 0);
