package dev.segrel.devstack.neo4j;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Neo4j server inside this JVM (neo4j-harness), reachable over Bolt on 127.0.0.1 without
 * authentication, with its files in a temporary folder that {@link #close()} deletes. For
 * {@code segrel dev up}, the demo and tests; never part of the worker's runtime.
 *
 * <p>Starting takes several seconds and ~170 MB of classes: start one per JVM. Shutdown is tuned
 * to take about a second instead of Neo4j's default ten. Thread-safe.
 */
public final class EmbeddedNeo4j implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNeo4j.class);

    static final List<String> SCHEMA = List.of(
            "CREATE CONSTRAINT segrel_manifestation_id IF NOT EXISTS FOR (n:Manifestation) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT segrel_expression_id IF NOT EXISTS FOR (n:Expression) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT segrel_annotation_id IF NOT EXISTS FOR (n:Annotation) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT segrel_segment_id IF NOT EXISTS FOR (n:Segment) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT segrel_annotation_type_name IF NOT EXISTS FOR (n:AnnotationType) REQUIRE n.name IS UNIQUE");

    /** The statements of {@link #createSchema()}, for applying the same schema to another server. */
    public static List<String> schemaStatements() {
        return SCHEMA;
    }

    // list literals this long are sent as parameters: Neo4j plans big literals slowly
    private static final int LARGE_LITERAL = 2_000;

    private final Neo4j server;
    private final Path home;
    private final Duration startTime;
    private volatile boolean closed;

    private EmbeddedNeo4j(Neo4j server, Path home, Duration startTime) {
        this.server = server;
        this.home = home;
        this.startTime = startTime;
    }

    /**
     * Starts a server with Bolt on {@code 127.0.0.1:boltPort} ({@code 0}: any free port) and no
     * HTTP connector.
     */
    public static EmbeddedNeo4j start(int boltPort) {
        return start(boltPort, false);
    }

    /**
     * Like {@link #start(int)}, with authentication on: the only user is {@code neo4j}, whose initial
     * password must be changed before it can query. For tests of refused credentials.
     */
    public static EmbeddedNeo4j startWithAuthentication(int boltPort) {
        return start(boltPort, true);
    }

    private static EmbeddedNeo4j start(int boltPort, boolean authentication) {
        if (boltPort < 0 || boltPort > 65535) {
            throw new IllegalArgumentException("boltPort must be in [0, 65535], was " + boltPort);
        }
        long t0 = System.nanoTime();
        Path home;
        try {
            home = Files.createTempDirectory("segrel-neo4j-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for Neo4j", e);
        }
        try {
            Neo4j server = Neo4jBuilders.newInProcessBuilder(home)
                    .withDisabledServer()
                    .withConfig(BoltConnector.enabled, true)
                    .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
                    .withConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                    .withConfig(GraphDatabaseSettings.udc_enabled, false)
                    .withConfig(GraphDatabaseSettings.auth_enabled, authentication)
                    // Neo4j's defaults make shutdown take ~10 s (Netty quiet period, Bolt pools)
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, Duration.ZERO)
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(1))
                    .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .build();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            EmbeddedNeo4j neo4j = new EmbeddedNeo4j(server, home, took);
            LOG.info("embedded Neo4j started at {} in {} ms", neo4j.boltUri(), took.toMillis());
            return neo4j;
        } catch (RuntimeException e) {
            deleteRecursively(home);
            throw e;
        }
    }

    /** {@code bolt://127.0.0.1:PORT}. */
    public String boltUri() {
        return "bolt://127.0.0.1:" + server.boltURI().getPort();
    }

    public int boltPort() {
        return server.boltURI().getPort();
    }

    /** How long {@link #start} took. */
    public Duration startTime() {
        return startTime;
    }

    /** The database, for callers in this JVM that need more than {@link #execute}. */
    public GraphDatabaseService database() {
        return server.defaultDatabaseService();
    }

    /**
     * Uniqueness constraints (and so indexes) on {@code Manifestation.id}, {@code Expression.id},
     * {@code Annotation.id}, {@code Segment.id} and {@code AnnotationType.name}. Idempotent; waits
     * until the indexes are online.
     */
    public void createSchema() {
        for (String statement : SCHEMA) {
            execute(statement, Map.of());
        }
        execute("CALL db.awaitIndexes(300)", Map.of());
    }

    /** Runs one statement in its own transaction; its result is discarded. */
    public void execute(String cypher, Map<String, Object> params) {
        requireNonNull(cypher, "cypher is null");
        requireNonNull(params, "params is null");
        database().executeTransactionally(cypher, params);
    }

    /**
     * Runs a file of Cypher statements separated by {@code ;} (see {@link CypherScript}), each in its
     * own transaction, streaming the file. Large list literals (an {@code UNWIND} of thousands of rows)
     * are sent as parameters, which Neo4j plans far faster; the statements mean the same.
     *
     * @return the number of statements run
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when a statement fails; the message names its number
     */
    public long load(Path cypherFile, LoadProgress progress) {
        requireNonNull(cypherFile, "cypherFile is null");
        requireNonNull(progress, "progress is null");
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(cypherFile));
                Reader reader = new InputStreamReader(counted, StandardCharsets.UTF_8)) {
            long total = Files.size(cypherFile);
            long t0 = System.nanoTime();
            long run = 0;
            CypherScript script = new CypherScript(reader);
            while (script.hasNext()) {
                String statement = script.next();
                try {
                    CypherLiterals.Parameterised fast = CypherLiterals.parameterise(statement, LARGE_LITERAL);
                    execute(fast.cypher(), fast.params());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("statement " + (run + 1) + " of " + cypherFile + " failed: "
                            + e.getMessage(), e);
                }
                run++;
                progress.update(Math.min(counted.count(), total), total, run);
            }
            progress.update(total, total, run);
            LOG.info("loaded {} statements from {} in {} ms", run, cypherFile,
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cypherFile, e);
        }
    }

    /** Deletes every node and relationship (the schema stays). */
    public void clear() {
        // in slices, so that a big graph does not need one huge transaction
        while (true) {
            long deleted = database().executeTransactionally(
                    "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted", Map.of(),
                    result -> ((Number) result.next().get("deleted")).longValue());
            if (deleted == 0) {
                return;
            }
        }
    }

    /** Stops the server and deletes its folder. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            server.close();
        } finally {
            deleteRecursively(home);
            LOG.info("embedded Neo4j stopped in {} ms", Duration.ofNanos(System.nanoTime() - t0).toMillis());
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final AtomicLong count = new AtomicLong();

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count.get();
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
