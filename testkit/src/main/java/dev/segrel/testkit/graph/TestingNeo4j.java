package dev.segrel.testkit.graph;

import static java.util.Objects.requireNonNull;

import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import java.util.Optional;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * The Neo4j server of this test JVM: the one named by {@code SEGREL_TEST_NEO4J_URI} (with
 * {@code SEGREL_TEST_NEO4J_USER}, default {@code neo4j}, and {@code SEGREL_TEST_NEO4J_PASSWORD}),
 * or else one {@link EmbeddedNeo4j} started on first use and stopped by a shutdown hook.
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
    private final EmbeddedNeo4j embedded; // null for an external server

    private TestingNeo4j(String boltUri, String user, String password, EmbeddedNeo4j embedded) {
        this.boltUri = boltUri;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
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
        Optional<String> external = env("SEGREL_TEST_NEO4J_URI");
        TestingNeo4j neo4j;
        if (external.isPresent()) {
            neo4j = new TestingNeo4j(external.get(), env("SEGREL_TEST_NEO4J_USER").orElse("neo4j"),
                    System.getenv().getOrDefault("SEGREL_TEST_NEO4J_PASSWORD", ""), null);
        } else {
            EmbeddedNeo4j embedded = EmbeddedNeo4j.start(0);
            neo4j = new TestingNeo4j(embedded.boltUri(), "neo4j", "", embedded);
        }
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

    /** True when this is the embedded server (not one named by the environment). */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The embedded server, absent when the environment names an external one. */
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
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static Optional<String> env(String key) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
