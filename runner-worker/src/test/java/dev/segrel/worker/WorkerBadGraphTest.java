package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InMemoryAlignmentGraph;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.graph.ThreeTextCanon;
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
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reported case, through the worker on real servers: a text X aligned to the first five
 * segments of the job's text holds a zero-length segment and one ending past {@code int}. The tasks
 * whose search reaches them fail at once (first attempt, not retried) with a reason naming segment
 * and manifestation; every other task completes with its usual answer; the job ends with exact
 * counts and one completion message. Both search paths: slices in memory and level-by-level queries.
 */
class WorkerBadGraphTest {

    static final int SEGMENTS = 20;
    static final Set<String> FAILING = Set.of("r1", "r3", "r4");

    static GraphFixture graph;
    static TestingPostgres.Schema schema;
    static Postgres postgres;

    /** The canon plus X: r_i aligned to xa_i (same span), X segmented as xs_i, for i < 5. */
    static GraphFixture withX() {
        GraphFixture f = ThreeTextCanon.of(SEGMENTS).manifestation("X");
        Segment[] rx = new Segment[5];
        Segment[] xa = new Segment[5];
        Segment[] xs = new Segment[5];
        for (int i = 0; i < 5; i++) {
            rx[i] = GraphFixture.seg("rx" + i, i * 10, i * 10 + 10);
            xa[i] = GraphFixture.seg("xa" + i, i * 10, i * 10 + 10);
            xs[i] = GraphFixture.seg("xs" + i, i * 10, i * 10 + 10);
        }
        f.alignment(ThreeTextCanon.ROOT, "R-al-x", rx).alignment("X", "X-al", xa).segmentation("X", "X-seg", xs);
        f.linkAnnotations("R-al-x", "X-al");
        for (int i = 0; i < 5; i++) {
            f.linkSegments("rx" + i, "xa" + i);
        }
        return f;
    }

    @BeforeAll
    static void servers() {
        graph = withX();
        schema = TestingPostgres.shared().freshSchema();
        postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(4));
        postgres.migrator().migrate();
    }

    @AfterAll
    static void close() {
        if (postgres != null) {
            postgres.close();
        }
    }

    static void corrupt(String cypher) {
        try (var session = TestingNeo4j.get().driver().session()) {
            session.executeWriteWithoutResult(tx -> tx.run(cypher).consume());
        }
    }

    @ParameterizedTest(name = "SEGREL_GRAPH_INDEX={0}")
    @ValueSource(booleans = {true, false})
    void tasksReachingBadDataFailAtOnceNamingItAndTheJobFinishesWithExactCounts(boolean index) throws Exception {
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(graph);
        // xs1 zero-length at 15 (inside r1's probe of X [10, 20)); xs3 [30, 3e9) reaches r3's and r4's
        corrupt("MATCH (s:Segment {id: 'xs1'}) SET s.span_start = 15, s.span_end = 15");
        corrupt("MATCH (s:Segment {id: 'xs3'}) SET s.span_end = 3000000000");
        QueueUrls queues = TestingSqs.createQueues("badgraph-" + index);
        JobId job = JobId.random();
        postgres.jobs().createJob(ThreeTextCanon.job(job, SEGMENTS), Instant.now());
        TaskQueue producer = new SqsTaskQueue(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()),
                Duration.ofSeconds(30));
        producer.send(ThreeTextCanon.taskBodies(job, SEGMENTS));

        Map<String, String> values = new HashMap<>();
        values.put("SEGREL_GRAPH_INDEX", String.valueOf(index));
        values.put("SEGREL_WORKER_ID", "badgraph-" + index);
        Settings settings = WorkerEndToEndTest.settings(queues, schema.jdbcUrl()).with(values);
        JobStatus status = WorkerEndToEndTest.runUntilFinished(settings, postgres.jobs(), job);

        assertThat(status.completedSegments()).isEqualTo(SEGMENTS - FAILING.size());
        assertThat(status.failedSegments()).isEqualTo(FAILING.size());
        FindRelatedSegments direct = SegmentRelations.over(InMemoryAlignmentGraph.of(graph));
        List<TaskDetail> tasks = new ArrayList<>();
        postgres.reads().forEachTask(job, tasks::add);
        assertThat(tasks).hasSize(SEGMENTS);
        for (TaskDetail task : tasks) {
            String id = task.key().segmentId();
            if (FAILING.contains(id)) {
                String bad = id.equals("r1") ? "xs1" : "xs3";
                assertThat(task.state()).as(id).isEqualTo(TaskState.FAILED);
                assertThat(task.attempts()).as(id + " attempts").isEqualTo(1);
                assertThat(task.error()).as(id)
                        .contains("invalid graph data: segment " + bad + " of manifestation X")
                        .doesNotContain("nexpected").doesNotContain("lease");
            } else {
                assertThat(task.state()).as(id).isEqualTo(TaskState.COMPLETED);
                int i = Integer.parseInt(id.substring(1));
                assertThat(task.mappings()).as(id).isEqualTo(direct.mappings(new FindRelatedSegments.Query(
                        ThreeTextCanon.ROOT, ThreeTextCanon.rootSpan(i), RelationMode.SEGMENTATION)));
                assertThat(task.mappings()).as(id).hasSize(i < 5 ? 3 : 2);
            }
        }
        TaskQueue completed = new SqsTaskQueue(TestingSqs.client(), queues.completed(), Optional.empty(),
                Duration.ofSeconds(30));
        List<TaskQueue.QueuedMessage> messages = Awaiting.until(() -> completed.receive(10, Duration.ofSeconds(1)),
                m -> !m.isEmpty(), Duration.ofSeconds(30));
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).body()).contains("\"job_id\":\"" + job + "\"")
                .contains("\"failed_segments\":" + FAILING.size());
    }
}
