"""Everything that talks to Neo4j: driver lifecycle, schema migrations, all Cypher, the batched writer,
and the local Neo4j launcher (Maven jars + a JVM)."""
