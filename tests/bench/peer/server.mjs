// @neo4j/graphql over the project's Neo4j, for the side-by-side bench (tests/bench/bench_peer.py).
// PEER_PORT (4011), NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE; prints "ready <url>".
import { readFile } from "node:fs/promises";

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const env = process.env;
const typeDefs = await readFile(new URL("./typedefs.graphql", import.meta.url), "utf8");
const driver = neo4j.driver(
  env.NEO4J_URI ?? "bolt://127.0.0.1:7687",
  neo4j.auth.basic(env.NEO4J_USER ?? "neo4j", env.NEO4J_PASSWORD ?? "newsgraph-local"),
);
const database = env.NEO4J_DATABASE ?? "neo4j";
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(env.PEER_PORT ?? 4011) },
  context: async () => ({ sessionConfig: { database } }),
});
console.log(`ready ${url}`);

const stop = async () => {
  await server.stop();
  await driver.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
