// Runs Neo4j Community embedded, with Bolt on 127.0.0.1, until SIGTERM.
// Run from source: java -cp 'graph/lib/*' graph/launcher/LocalNeo4j.java DATA_DIR PORT PAGECACHE [HTTP_PORT]
// With HTTP_PORT (> 0), Neo4j's HTTP server listens on 127.0.0.1 too and serves Neo4j Browser at /browser/
// (the org.neo4j.client:neo4j-browser jar on the class path) and the HTTP query API.
// The password comes from the environment (KG_NEO4J_PASSWORD) so it never shows in `ps`.
// An empty password turns auth off, for those who ask for that explicitly.

import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.server.configuration.ServerSettings;

public class LocalNeo4j {
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // One line the Python side can show; the stack trace stays in the log folder.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("KG-NEO4J ERROR " + root.getClass().getSimpleName() + ": " + root.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** The environment is the source of truth for the local instance's password. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: LocalNeo4j DATA_DIR PORT PAGECACHE_MB [HTTP_PORT]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheMb = Long.parseLong(args[2]);
        int httpPort = args.length == 4 ? Integer.parseInt(args[3]) : 0;
        String password = System.getenv().getOrDefault("KG_NEO4J_PASSWORD", "");
        boolean auth = !password.isEmpty();
        // One transaction may hold a quarter of the heap, all of them together half: a query that builds
        // a huge list or map is stopped with MemoryPoolOutOfMemoryError instead of taking the JVM down
        // (db.memory.transaction.max, db.memory.transaction.total.max and its dbms. twin; docs/cypher.md).
        // A list built inside one expression (`[x IN range(..) | x]`) is not tracked: /cypher bounds those.
        long heap = Runtime.getRuntime().maxMemory();
        long txMax = Math.max(ByteUnit.mebiBytes(16), heap / 4);
        long txTotalMax = Math.max(ByteUnit.mebiBytes(32), heap / 2);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (httpPort > 0) {
            builder.setConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", httpPort))
                    .setConfig(HttpConnector.advertised_address, new SocketAddress("127.0.0.1", httpPort));
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, httpPort > 0)
                // Neo4j Browser asks the server whether it may report usage; a local instance says no.
                .setConfig(ServerSettings.allow_telemetry, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txMax)
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txTotalMax)
                .setConfig(GraphDatabaseSettings.memory_transaction_database_max_size, txTotalMax)
                // Transaction logs sized for a laptop: by default each database (neo4j and system)
                // preallocates a 256 MiB log file and keeps two days of them, about 515 MB on disk for
                // the three seed articles. Unpreallocated 16 MiB files, of which the last two are kept
                // after a checkpoint, bound them to a few tens of MB (recovery needs only the logs since
                // the last checkpoint; this instance is not backed up incrementally).
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // One plan per statement text, not one per statement text and size of its list and string
                // parameters: by default the plan cache key holds each such parameter's size rounded up to a
                // power of ten (0, 1, 10, 100, ...), so a write whose article names 8 people and one naming
                // 12 were planned, code-generated and JIT-compiled apart (68 plans after 1,500 articles of the
                // writer, 54 without; a fifth less Neo4j CPU over a fresh JVM's first 600 articles,
                // docs/graph-model.md "Session 11"). The write path's seeks are on unique ids or carry index
                // hints, so a list's size never changed its plan. Neo4j 5.26: internal.cypher.use_parameter_size.
                .setConfig(GraphDatabaseInternalSettings.cypher_size_hint_parameters, false)
                // Netty's default 5 s quiet period, paid twice, made every stop take over 10 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();

        // One clean shutdown path: SIGTERM and SIGINT run the hooks, which close the stores.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("KG-NEO4J STOPPING");
            dbms.shutdown();
            System.out.println("KG-NEO4J STOPPED");
        }, "kg-neo4j-shutdown"));

        if (auth) {
            setPassword(dbms, password);
        }
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(60_000);
        System.out.println("KG-NEO4J READY bolt://127.0.0.1:" + port + " auth=" + auth
                + (httpPort > 0 ? " browser=http://127.0.0.1:" + httpPort + "/browser/" : ""));
        System.out.flush();
        Thread.currentThread().join();
    }
}
