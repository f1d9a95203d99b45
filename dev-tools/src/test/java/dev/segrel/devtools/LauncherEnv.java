package dev.segrel.devtools;

import static dev.segrel.testkit.graph.GraphFixture.seg;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The real servers a launched worker talks to, for one test: the shared Neo4j with {@link #FIXTURE}, a
 * fresh migrated PostgreSQL schema and fresh queues on the shared ElasticMQ.
 */
final class LauncherEnv implements AutoCloseable {

    /* A: segmentation a1 [0,10) a2 [10,20) a3 [20,30), aligned to B's segmentation b1 [0,25) b2 [25,50). */
    static final GraphFixture FIXTURE = new GraphFixture()
            .segmentation("A", "A-seg", seg("a1", 0, 10), seg("a2", 10, 20), seg("a3", 20, 30))
            .alignment("A", "A-al", seg("A-x1", 0, 10), seg("A-x2", 10, 30))
            .segmentation("B", "B-seg", seg("b1", 0, 25), seg("b2", 25, 50))
            .alignment("B", "B-al", seg("B-x1", 0, 20), seg("B-x2", 20, 40), seg("B-x3", 40, 50))
            .linkAnnotations("A-al", "B-al")
            .linkSegments("A-x1", "B-x1")
            .linkSegments("A-x2", "B-x2", "B-x3");

    final Settings settings;
    private final Postgres postgres;

    private LauncherEnv(Settings settings, Postgres postgres) {
        this.settings = settings;
        this.postgres = postgres;
    }

    static LauncherEnv create(String name) {
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(FIXTURE);
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2), "test-" + name);
        postgres.migrator().migrate();
        Map<String, String> values = new HashMap<>(Map.of(
                "NEO4J_URI", neo4j.boltUri(), "NEO4J_USER", neo4j.user(), "NEO4J_PASSWORD", neo4j.password()));
        values.putAll(TestingSqs.settings(TestingSqs.createQueues(name)));
        values.put("POSTGRES_URL", schema.jdbcUrl());
        return new LauncherEnv(Settings.of(values), postgres);
    }

    Optional<JobStatus> jobStatus(JobId job) {
        return postgres.jobs().jobStatus(job);
    }

    @Override
    public void close() {
        postgres.close();
    }
}
