package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsQueueAdmin;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.oracle.ReferenceRelations;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline on real servers: a job of 1,000 segments, three workers on one queue, PostgreSQL,
 * Neo4j and an SQS server, all in this JVM.
 */
class WorkerEndToEndTest {

    static final int SEGMENTS = 1_000;

    static GraphFixture canon;
    static TestingPostgres.Schema schema;
    static QueueUrls queues;
    static Postgres postgres;

    @BeforeAll
    static void servers() {
        canon = ThreeTextCanon.of(SEGMENTS);
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.reset();
        neo4j.load(canon);
        schema = TestingPostgres.shared().freshSchema();
        postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(4));
        postgres.migrator().migrate();
        queues = TestingSqs.createQueues("e2e");
    }

    @AfterAll
    static void close() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Waits until {@code job} is finished (completed or failed) and returns its status then. */
    static JobStatus awaitFinished(Jobs jobs, JobId job, Duration within) {
        return Awaiting.until(() -> jobs.jobStatus(job).orElseThrow(), s -> s.state().isTerminal(), within);
    }

    /** Runs one worker with {@code settings} until {@code job} is finished, stops it and returns the status. */
    static JobStatus runUntilFinished(Settings settings, Jobs jobs, JobId job) {
        WorkerApp worker = WorkerApp.start(settings);
        try {
            return awaitFinished(jobs, job, Duration.ofMinutes(2));
        } finally {
            worker.stop(Duration.ofSeconds(10));
        }
    }

    static Settings settings(QueueUrls urls, String jdbcUrl) {
        Map<String, String> values = new HashMap<>(TestingSqs.settings(urls));
        TestingNeo4j neo4j = TestingNeo4j.get();
        values.put("NEO4J_URI", neo4j.boltUri());
        values.put("NEO4J_USER", neo4j.user());
        values.put("NEO4J_PASSWORD", neo4j.password());
        values.put("POSTGRES_URL", jdbcUrl);
        values.put("SEGREL_POSTGRES_POOL_SIZE", "4");
        values.put("SQS_WAIT_SECONDS", "1");
        values.put("SEGREL_HTTP_PORT", "0");
        values.put("SEGREL_CONCURRENCY", "8");
        return Settings.of(values);
    }

    @Test
    void threeWorkersCompleteAJobOfAThousandSegmentsWithOneResultEachAndOneCompletionMessage() throws Exception {
        JobId job = JobId.random();
        postgres.jobs().createJob(ThreeTextCanon.job(job, SEGMENTS), Instant.now());
        List<String> bodies = ThreeTextCanon.taskBodies(job, SEGMENTS);
        {
            SqsClient client = TestingSqs.client();
            TaskQueue producer = new SqsTaskQueue(client, queues.queue(), Optional.of(queues.deadLetter()),
                    Duration.ofSeconds(30));
            producer.send(bodies);
        }

        Settings settings = settings(queues, schema.jdbcUrl());
        List<WorkerApp> workers = new ArrayList<>();
        try {
            for (int w = 0; w < 3; w++) {
                workers.add(WorkerApp.start(settings.with(Map.of("SEGREL_WORKER_ID", "e2e-" + w))));
            }
            JobStatus status = awaitFinished(postgres.jobs(), job, Duration.ofMinutes(3));
            assertThat(status.state()).isEqualTo(JobState.COMPLETED);
            assertThat(status.completedSegments()).isEqualTo(SEGMENTS);
            assertThat(status.failedSegments()).isZero();
        } finally {
            for (WorkerApp worker : workers) {
                worker.stop(Duration.ofSeconds(10));
            }
        }

        // expected answers from the independent oracle, not from the search under test
        ReferenceRelations oracle = ReferenceRelations.of(canon);
        List<TaskDetail> results = new ArrayList<>();
        postgres.reads().forEachTask(job, results::add);
        assertThat(results).hasSize(SEGMENTS);
        for (TaskDetail result : results) {
            int i = Integer.parseInt(result.key().segmentId().substring(1));
            assertThat(result.mappings())
                    .as(result.key().segmentId())
                    .isEqualTo(oracle.mappings("R", i * 10, i * 10 + 10));
            assertThat(result.mappings()).hasSize(2).allSatisfy(m -> assertThat(m.segments()).isNotEmpty());
        }
        assertThat(schema.queryLong("SELECT count(*) FROM segment_task WHERE result_json IS NOT NULL"))
                .isEqualTo(SEGMENTS);

        {
            SqsClient client = TestingSqs.client();
            TaskQueue completed = new SqsTaskQueue(client, queues.completed(), Optional.empty(), Duration.ofSeconds(30));
            List<TaskQueue.QueuedMessage> messages = new ArrayList<>(completed.receive(10, Duration.ofSeconds(2)));
            messages.addAll(completed.receive(10, Duration.ZERO));
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0).body())
                    .contains("\"job_id\":\"" + job + "\"")
                    .contains("\"manifestation_id\":\"R\"")
                    .contains("\"status\":\"COMPLETED\"");
            QueueAdmin.QueueStats taskQueue = new SqsQueueAdmin(client, queues.queue(), Optional.of(queues.deadLetter()))
                    .stats();
            assertThat(taskQueue.visible() + taskQueue.inFlight()).isZero();
            assertThat(taskQueue.deadLetterVisible()).hasValue(0);
        }
    }
}
