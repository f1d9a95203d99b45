package dev.segrel.testkit.graph;

import static java.util.Objects.requireNonNull;

import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.testkit.ServerContainers;
import dev.segrel.testkit.TestServers;
import java.util.Optional;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.testcontainers.neo4j.Neo4jContainer;

/**
 * The Neo4j server of this test JVM: the one named by {@code SEGREL_TEST_NEO4J_URI} (with
 * {@code SEGREL_TEST_NEO4J_USER}, default {@code neo4j}, and {@code SEGREL_TEST_NEO4J_PASSWORD}),
 * else a Testcontainers container where a Docker engine answers, else one {@link EmbeddedNeo4j}
 * (see {@link TestServers}); started on first use and stopped by a shutdown hook.
 *
 * <p>Tests that use it share its data: {@link #load} wipes the graph first, so run such tests one
 * at a time (the default). An external server is wiped too: point it only at a throw-away database.
 */
public final class TestingNeo4j {

    private static volatile TestingNeo4j instance;

    private final String boltUri;
    private final String user;
    private final String password;
    private final Driver driver;
    private final EmbeddedNeo4j embedded; // null for an external server or a container
    private final Runnable stop; // stops the server this class started, if any

    private TestingNeo4j(String boltUri, String user, String password, EmbeddedNeo4j embedded, Runnable stop) {
        this.boltUri = boltUri;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.stop = stop;
        AuthToken auth = password.isEmpty() ? AuthTokens.none() : AuthTokens.basic(user, password);
        this.driver = GraphDatabase.driver(boltUri, auth);
    }

    /** The shared server, started on first call. */
    public static TestingNeo4j get() {
        TestingNeo4j local = instance;
        if (local == null) {
            synchronized (TestingNeo4j.class) {
                local = instance;
                if (local == null) {
                    local = start();
                    instance = local;
                }
            }
        }
        return local;
    }

    private static TestingNeo4j start() {
        TestingNeo4j neo4j = switch (TestServers.kindOf(TestServers.Server.NEO4J)) {
            case EXTERNAL -> new TestingNeo4j(env("SEGREL_TEST_NEO4J_URI").orElseThrow(),
                    env("SEGREL_TEST_NEO4J_USER").orElse("neo4j"),
                    System.getenv().getOrDefault("SEGREL_TEST_NEO4J_PASSWORD", ""), null, () -> {});
            case CONTAINER -> {
                Neo4jContainer container = ServerContainers.startNeo4j();
                yield new TestingNeo4j(container.getBoltUrl(), "neo4j", "", null, container::stop);
            }
            case IN_PROCESS -> {
                EmbeddedNeo4j embedded = EmbeddedNeo4j.start(0);
                yield new TestingNeo4j(embedded.boltUri(), "neo4j", "", embedded, embedded::close);
            }
        };
        neo4j.createSchema();
        TestingNeo4j started = neo4j;
        Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown, "testing-neo4j-shutdown"));
        return started;
    }

    public String boltUri() {
        return boltUri;
    }

    public String user() {
        return user;
    }

    /** Empty when the server needs no authentication. */
    public String password() {
        return password;
    }

    /** A driver for test set-up; shared, do not close it. */
    public Driver driver() {
        return driver;
    }

    /** True when this is the embedded server (not one named by the environment, nor a container). */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The embedded server, absent when the environment names an external one or a container runs it. */
    public Optional<EmbeddedNeo4j> embedded() {
        return Optional.ofNullable(embedded);
    }

    /** Deletes all data (the schema stays). */
    public void reset() {
        if (embedded != null) {
            embedded.clear();
            return;
        }
        try (var session = driver.session()) {
            long deleted;
            do {
                deleted = session.executeWrite(tx -> tx.run(
                        "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted").single()
                        .get("deleted").asLong());
            } while (deleted > 0);
        }
    }

    /** Replaces the graph by the fixture. */
    public void load(GraphFixture fixture) {
        requireNonNull(fixture, "fixture is null");
        reset();
        // parameterised statements, into the embedded server or through the driver
        if (embedded != null) {
            fixture.statements(embedded::execute);
        } else {
            try (var session = driver.session()) {
                fixture.statements((cypher, params) ->
                        session.executeWriteWithoutResult(tx -> tx.run(cypher, params).consume()));
            }
        }
    }

    private void createSchema() {
        if (embedded != null) {
            embedded.createSchema();
            return;
        }
        try (var session = driver.session()) {
            for (String statement : EmbeddedNeo4j.schemaStatements()) {
                session.run(statement).consume();
            }
        }
    }

    private void shutdown() {
        try {
            driver.close();
        } finally {
            stop.run();
        }
    }

    private static Optional<String> env(String key) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
