package dev.segrel.cli;

import dev.segrel.core.port.out.TaskClaims;
import static dev.segrel.testkit.graph.GraphFixture.seg;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The real servers an operator command talks to, for one test class: the shared Neo4j with
 * {@link #FIXTURE}, a fresh migrated PostgreSQL schema and fresh queues on the shared ElasticMQ.
 */
final class OpsEnv implements AutoCloseable {

    /*
     * A: segmentation a1 [0,10) a2 [10,20) a3 [20,30); its alignment links to B's (as in
     * RelatedCommandTest). B: segmentation b1 [0,25) b2 [25,50). P: only a pagination (p1, p2).
     */
    static final GraphFixture FIXTURE = new GraphFixture()
            .segmentation("A", "A-seg", seg("a1", 0, 10), seg("a2", 10, 20), seg("a3", 20, 30))
            .alignment("A", "A-al", seg("A-x1", 0, 10), seg("A-x2", 10, 30))
            .segmentation("B", "B-seg", seg("b1", 0, 25), seg("b2", 25, 50))
            .alignment("B", "B-al", seg("B-x1", 0, 20), seg("B-x2", 20, 40), seg("B-x3", 40, 50))
            .pagination("P", "P-pag", seg("p1", 0, 100), seg("p2", 100, 200))
            .linkAnnotations("A-al", "B-al")
            .linkSegments("A-x1", "B-x1")
            .linkSegments("A-x2", "B-x2", "B-x3");

    final TestingPostgres.Schema schema;
    final Postgres postgres;
    final QueueUrls urls;
    final Settings settings;

    private OpsEnv(TestingPostgres.Schema schema, Postgres postgres, QueueUrls urls, Settings settings) {
        this.schema = schema;
        this.postgres = postgres;
        this.urls = urls;
        this.settings = settings;
    }

    /** Loads the fixture into Neo4j; a fresh schema (migrated unless {@code migrated} is false) and queues. */
    static OpsEnv create(String name, boolean migrated) {
        TestingNeo4j.get().load(FIXTURE);
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2), "test-" + name);
        if (migrated) {
            postgres.migrator().migrate();
        }
        QueueUrls urls = TestingSqs.createQueues(name);
        Map<String, String> values = new HashMap<>(CliRun.testNeo4j().asMap());
        values.putAll(TestingSqs.settings(urls));
        values.put("POSTGRES_URL", schema.jdbcUrl());
        return new OpsEnv(schema, postgres, urls, Settings.of(values));
    }

    static OpsEnv create(String name) {
        return create(name, true);
    }

    Jobs jobs() {
        return postgres.jobs();
    }

    TaskReads reads() {
        return postgres.reads();
    }

    CliRun run(String... args) {
        return CliRun.run(settings, args);
    }

    CliRun runWith(Map<String, String> overrides, String stdin, String... args) {
        return CliRun.run(CliRun.context(settings.with(overrides), stdin), args);
    }

    /** Receives and deletes every message of a queue. */
    static List<String> drain(String queueUrl) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<Message> got = TestingSqs.client().receiveMessage(b -> b.queueUrl(queueUrl)
                            .maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (got.isEmpty()) {
                return bodies;
            }
            for (Message m : got) {
                bodies.add(m.body());
                TestingSqs.client().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** Claims and completes one task with the given mappings, as a worker would. */
    void complete(JobId job, String segment, List<Mapping> mappings) {
        Instant now = Instant.now();
        var claimed = (TaskClaims.Claimed) postgres.claims().claim(new TaskKey(job, segment), null, "test", now, Duration.ofMinutes(1));
        postgres.completions().complete(claimed.task().lease(), mappings, now);
    }

    /** Claims and fails one task for good. */
    void fail(JobId job, String segment, String error) {
        Instant now = Instant.now();
        var claimed = (TaskClaims.Claimed) postgres.claims().claim(new TaskKey(job, segment), null, "test", now, Duration.ofMinutes(1));
        postgres.completions().fail(claimed.task().lease(), error, true, 1, now);
    }

    @Override
    public void close() {
        postgres.close();
    }
}
