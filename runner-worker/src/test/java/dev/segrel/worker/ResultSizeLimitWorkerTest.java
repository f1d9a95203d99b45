package dev.segrel.worker;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
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
import org.junit.jupiter.api.Test;

/**
 * A segment whose result is larger than SEGREL_MAX_RESULT_BYTES, through the real worker on real
 * servers: that task ends FAILED at once with a reason naming the size and the setting, the others
 * complete, and the job finishes with exact counts and its one completion message.
 */
class ResultSizeLimitWorkerTest {

    static final int SMALL = 4;
    static final int WIDE = 300;
    static final int LIMIT = 2_000;

    /** R: r0..r3 each aligned to one segment of T, r4 aligned to a span covering all 300 segments of T. */
    static GraphFixture graph() {
        GraphFixture f = new GraphFixture();
        Segment[] r = new Segment[SMALL + 1];
        Segment[] ra = new Segment[SMALL + 1];
        for (int i = 0; i <= SMALL; i++) {
            r[i] = seg("r" + i, i * 10, i * 10 + 10);
            ra[i] = seg("ra" + i, i * 10, i * 10 + 10);
        }
        Segment[] t = new Segment[WIDE];
        for (int j = 0; j < WIDE; j++) {
            t[j] = seg("translation-segment-" + j, j * 10, j * 10 + 10);
        }
        Segment[] ta = new Segment[SMALL + 1];
        for (int i = 0; i < SMALL; i++) {
            ta[i] = seg("ta" + i, i * 10, i * 10 + 10);
        }
        ta[SMALL] = seg("ta-wide", 0, WIDE * 10);
        f.segmentation("R", "R-seg", r).alignment("R", "R-al", ra);
        f.segmentation("T", "T-seg", t).alignment("T", "T-al", ta);
        f.linkAnnotations("R-al", "T-al");
        for (int i = 0; i < SMALL; i++) {
            f.linkSegments("ra" + i, "ta" + i);
        }
        f.linkSegments("ra" + SMALL, "ta-wide");
        return f;
    }

    @Test
    void aResultOverTheSizeLimitFailsItsTaskWithTheReasonAndTheJobFinishesWithExactCounts() throws Exception {
        GraphFixture graph = graph();
        ReferenceRelations oracle = ReferenceRelations.of(graph);
        assertThat(oracle.mappings("R", 40, 50).get(0).segments()).as("the wide segment's result").hasSize(WIDE);
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.reset();
        neo4j.load(graph);
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        QueueUrls queues = TestingSqs.createQueues("result-limit");
        JobId job = JobId.random();
        List<NewTask> tasks = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i <= SMALL; i++) {
            Span span = new Span(i * 10, i * 10 + 10);
            tasks.add(new NewTask("r" + i, span));
            bodies.add(TaskMessage.toSingleJson(new TaskRequest(job, "R", "r" + i, span)));
        }
        try (Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2))) {
            postgres.migrator().migrate();
            postgres.jobs().createJob(new Jobs.NewJob(job, "R", tasks), Instant.now());
            new SqsTaskQueue(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()),
                    Duration.ofSeconds(30)).send(bodies);

            JobStatus status = WorkerEndToEndTest.runUntilFinished(WorkerEndToEndTest.settings(queues, schema.jdbcUrl())
                    .with(Map.of("SEGREL_MAX_RESULT_BYTES", String.valueOf(LIMIT), "SEGREL_WORKER_ID", "limit")),
                    postgres.jobs(), job);

            assertThat(status.completedSegments()).isEqualTo(SMALL);
            assertThat(status.failedSegments()).isEqualTo(1);
            assertThat(status.state()).isIn(JobState.COMPLETED, JobState.FAILED);
            Map<String, TaskDetail> byId = new HashMap<>();
            postgres.reads().forEachTask(job, t -> byId.put(t.key().segmentId(), t));
            TaskDetail wide = byId.get("r" + SMALL);
            assertThat(wide.state()).isEqualTo(TaskState.FAILED);
            assertThat(wide.attempts()).as("not retried: the result will not shrink").isEqualTo(1);
            assertThat(wide.error()).contains("bytes, more than the " + LIMIT + " allowed (SEGREL_MAX_RESULT_BYTES)");
            assertThat(wide.mappings()).isNullOrEmpty();
            for (int i = 0; i < SMALL; i++) {
                TaskDetail small = byId.get("r" + i);
                assertThat(small.state()).isEqualTo(TaskState.COMPLETED);
                assertThat(small.mappings()).isEqualTo(oracle.mappings("R", i * 10, i * 10 + 10)).isNotEmpty();
            }
            TaskQueue completed = new SqsTaskQueue(TestingSqs.client(), queues.completed(), Optional.empty(),
                    Duration.ofSeconds(30));
            List<TaskQueue.QueuedMessage> messages = Awaiting.until(() -> completed.receive(10, Duration.ofSeconds(1)),
                    m -> !m.isEmpty(), Duration.ofSeconds(60));
            assertThat(messages).singleElement().extracting(TaskQueue.QueuedMessage::body).asString()
                    .contains("\"job_id\":\"" + job + "\"");
            assertThat(completed.receive(10, Duration.ZERO)).as("one completion message").isEmpty();
        }
    }
}
