package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Span;
import dev.segrel.core.json.JsonLimits;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.oracle.NonTrivialAnswers;
import dev.segrel.testkit.oracle.ReferenceRelations;
import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each deployed layout end to end, as the deployed programs use it: the layout's tables made as its
 * code makes them, its producer's rows and messages (duplicates included), {@code segrel migrate} by
 * two workers starting at once, and the downstream consumer reading what the completion messages
 * announce. Every result equals the reference search, every count is exact, and exactly the
 * completion messages the deployed consumers expect are sent.
 */
class DeployedPipelineEndToEndTest {

    /** Segments of the canon's texts. */
    private static final int SEGMENTS = 750;

    private static final GraphFixture DEVELOPMENT = ThreeTextCanon.of(SEGMENTS);
    /** Another graph: the root's segment i is aligned to the translation's segment i + 1. */
    private static final GraphFixture PRODUCTION = ThreeTextCanon.of(SEGMENTS, 1);

    private static EmbeddedNeo4j production;

    @BeforeAll
    static void graphs() {
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(DEVELOPMENT);
        production = WorkerFixtures.secondGraph(PRODUCTION);
    }

    @AfterAll
    static void stop() {
        if (production != null) {
            production.close();
        }
    }

    @Test
    void theReadmeLayoutsProducerAndItsSingleMessagesWithDuplicates() throws Exception {
        olderPipeline(DeployedTables.Layout.README, 200);
    }

    @Test
    void theV1LayoutsProducerSendingSingleMessagesInGroupsOfTenThirtyPercentTwice() throws Exception {
        olderPipeline(DeployedTables.Layout.V1, 300);
    }

    /** The Nov 2025 pipeline: job and task rows, then one single-segment message per segment, in groups of 10. */
    private void olderPipeline(DeployedTables.Layout layout, int segments) throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables deployed = DeployedTables.create(schema, layout);
        List<String> ids = IntStream.range(0, segments).mapToObj(ThreeTextCanon::rootSegment).toList();
        UUID job = deployed.submit(ThreeTextCanon.ROOT, ids);
        QueueUrls queues = TestingSqs.createQueues("deployed-" + layout.key());
        List<String> bodies = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < segments; i++) {
            Span span = ThreeTextCanon.rootSpan(i);
            String body = "{\"job_id\": \"" + job + "\", \"manifestation_id\": \"R\", \"segment_id\": \"" + ids.get(i)
                    + "\", \"start\": " + span.start() + ", \"end\": " + span.end() + "}";
            bodies.add(body);
            if (random.nextInt(100) < 30) {
                bodies.add(body);
            }
        }
        Collections.shuffle(bodies, random);
        TaskQueue producer = queue(queues.queue());
        for (int from = 0; from < bodies.size(); from += 10) {
            producer.send(bodies.subList(from, Math.min(bodies.size(), from + 10)));
        }

        List<WorkerApp> workers = startTwo(queues, schema);
        try {
            Awaiting.until(() -> queryLong(schema, "SELECT count(*) FROM " + layout.jobTable()
                    + " WHERE status = 'COMPLETED' AND completed_segments = " + segments), n -> n == 1, Duration.ofMinutes(2));
            List<TaskQueue.QueuedMessage> announced = Awaiting.until(() -> receiveAll(queue(queues.completed())),
                    l -> !l.isEmpty(), Duration.ofSeconds(30));

            assertThat(announced).singleElement().satisfies(m -> assertThat(m.body())
                    .contains("\"job_id\":\"" + job + "\"", "\"manifestation_id\":\"R\"", "\"status\":\"COMPLETED\""));
            assertThat(receiveAll(queue(queues.completed()))).as("nothing else is announced").isEmpty();
        } finally {
            workers.forEach(w -> w.stop(Duration.ofSeconds(10)));
        }
        assertThat(queryLong(schema, "SELECT count(*) FROM " + layout.taskTable())).isEqualTo(segments);
        Map<String, String> results = results(schema, "SELECT segment_id, result_json::text FROM " + layout.taskTable());
        ReferenceRelations reference = ReferenceRelations.of(DEVELOPMENT);
        for (int i = 0; i < segments; i++) {
            assertThat(MappingJson.parse(results.get(ids.get(i)))).as(ids.get(i))
                    .isEqualTo(expected(reference, ThreeTextCanon.ROOT, ThreeTextCanon.rootSpan(i)));
        }
    }

    @Test
    void theCurrentLayoutsBatchesTwoGraphsAndAResubmittedText() throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables deployed = DeployedTables.create(schema, DeployedTables.Layout.CURRENT);
        QueueUrls queues = TestingSqs.createQueues("deployed-current");
        // the consumer: every completion message's rows must be readable when it arrives
        List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread consumer = Thread.ofPlatform().name("downstream-consumer").start(() -> {
            TaskQueue completed = queue(queues.completed());
            while (consuming.get()) {
                List<TaskQueue.QueuedMessage> messages = completed.receive(10, Duration.ofSeconds(1));
                for (TaskQueue.QueuedMessage m : messages) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = (Map<String, Object>) JsonReader.withLimits(JsonLimits.DEFAULT).parse(m.body());
                    if (!(body.get("text_id") instanceof String text) || !(body.get("segment_ids") instanceof List<?> list)
                            || !(body.get("destination_environment") instanceof String)) {
                        problems.add("unreadable by the consumer: " + m.body());
                        continue;
                    }
                    List<String> ids = list.stream().map(String.class::cast).toList();
                    List<DeployedTables.ConsumerRow> rows = deployed.consumerRead(text, ids);
                    if (rows.size() != ids.size() || rows.stream().anyMatch(r -> r.resultJson() == null)) {
                        problems.add("announced before its rows: " + text + " batch " + body.get("batch_number")
                                + ", " + rows.size() + " rows of " + ids.size());
                    }
                    received.add(body);
                }
                if (!messages.isEmpty()) {
                    completed.delete(messages);
                }
            }
        });

        List<String> rootIds = IntStream.range(0, SEGMENTS).mapToObj(ThreeTextCanon::rootSegment).toList();
        List<String> translationIds = IntStream.range(0, 600).mapToObj(i -> "t" + i).toList();
        UUID rootJob = deployed.submit("R", rootIds);
        UUID translationJob = deployed.submit("T", translationIds);
        TaskQueue producer = queue(queues.queue());
        // batches of 500, the first of each text sent twice
        sendBatches(producer, rootJob, "R", rootIds, i -> ThreeTextCanon.rootSpan(i), "DEVELOPMENT");
        sendBatches(producer, translationJob, "T", translationIds, i -> new Span(i * 12, i * 12 + 12), "PRODUCTION");

        List<WorkerApp> workers = startTwo(queues, schema);
        try {
            Awaiting.until(received::size, n -> n >= 4, Duration.ofMinutes(2));
            assertThat(queryLong(schema, "SELECT count(*) FROM root_jobs WHERE status = 'COMPLETED' AND completed_segments"
                    + " = total_segments")).isEqualTo(2);
            Map<String, String> results = results(schema, "SELECT text_id || '/' || segment_id, result_json::text"
                    + " FROM segment_mapping");
            assertThat(results).hasSize(SEGMENTS + translationIds.size());
            ReferenceRelations fromDevelopment = ReferenceRelations.of(DEVELOPMENT);
            ReferenceRelations fromProduction = ReferenceRelations.of(PRODUCTION);
            for (int i = 0; i < SEGMENTS; i++) {
                assertThat(MappingJson.parse(results.get("R/r" + i))).as("R/r" + i)
                        .isEqualTo(expected(fromDevelopment, "R", ThreeTextCanon.rootSpan(i)));
            }
            for (int i = 0; i < translationIds.size(); i++) {
                assertThat(MappingJson.parse(results.get("T/t" + i))).as("T/t" + i)
                        .isEqualTo(expected(fromProduction, "T", new Span(i * 12, i * 12 + 12)));
            }

            // the text submitted again: its newest job reset, its batches sent again (the first twice)
            assertThat(deployed.submit("R", rootIds)).isEqualTo(rootJob);
            sendBatches(producer, rootJob, "R", rootIds, i -> ThreeTextCanon.rootSpan(i), "DEVELOPMENT");
            Awaiting.until(received::size, n -> n >= 6, Duration.ofMinutes(2));
            Awaiting.until(() -> queryLong(schema, "SELECT count(*) FROM root_jobs WHERE status = 'COMPLETED'"
                    + " AND completed_segments = total_segments"), n -> n == 2, Duration.ofSeconds(30));
            // every message the outbox holds is sent, and the consumer has read each of them
            Awaiting.until(() -> queryLong(schema, "SELECT count(*) FROM segrel_outbox WHERE sent_at IS NULL"),
                    n -> n == 0, Duration.ofSeconds(30));
            long written = queryLong(schema, "SELECT count(*) FROM segrel_outbox");
            assertThat(written).isEqualTo(6);
            Awaiting.until(received::size, n -> n >= written, Duration.ofSeconds(30));
        } finally {
            workers.forEach(w -> w.stop(Duration.ofSeconds(10)));
            consuming.set(false);
            consumer.join(10_000);
        }

        assertThat(problems).isEmpty();
        Map<String, Integer> perBatch = new HashMap<>();
        for (Map<String, Object> body : received) {
            perBatch.merge(body.get("text_id") + "#" + body.get("batch_number") + "@" + body.get("run"), 1, Integer::sum);
        }
        assertThat(perBatch).isEqualTo(Map.of("R#1@0", 1, "R#2@0", 1, "T#1@0", 1, "T#2@0", 1, "R#1@1", 1, "R#2@1", 1));
        assertThat(received).allSatisfy(body -> {
            assertThat(body.get("total_segments")).isIn(750L, 600L);
            assertThat(body.get("destination_environment")).isEqualTo("PRODUCTION");
        });
        assertThat(received).filteredOn(b -> b.get("text_id").equals("T") && b.get("batch_number").equals(2L))
                .singleElement().satisfies(b -> assertThat(b.get("segment_ids"))
                        .isEqualTo(translationIds.subList(500, 600)));
        assertThat(queryLong(schema, "SELECT completed_segments FROM root_jobs WHERE job_id = '" + rootJob + "'"))
                .isEqualTo(SEGMENTS);
    }

    // ------------------------------------------------------------------------------ helpers

    private interface Spans {
        Span of(int i);
    }

    /** The current producer's batch messages of a text, in batches of 500; the first sent twice. */
    private static void sendBatches(TaskQueue producer, UUID job, String text, List<String> ids, Spans spans,
            String source) {
        List<String> bodies = new ArrayList<>();
        for (int from = 0, number = 1; from < ids.size(); from += 500, number++) {
            StringBuilder body = new StringBuilder("{\"root_job_id\": \"" + job + "\", \"text_id\": \"" + text
                    + "\", \"batch_number\": " + number + ", \"total_segments\": " + ids.size() + ", \"segments\": [");
            for (int i = from; i < Math.min(ids.size(), from + 500); i++) {
                Span span = spans.of(i);
                body.append(i > from ? ", " : "").append("{\"segment_id\": \"").append(ids.get(i))
                        .append("\", \"span\": {\"start\": ").append(span.start()).append(", \"end\": ")
                        .append(span.end()).append("}}");
            }
            body.append("], \"source_environment\": \"").append(source)
                    .append("\", \"destination_environment\": \"PRODUCTION\"}");
            bodies.add(body.toString());
            if (number == 1) {
                bodies.add(body.toString());
            }
        }
        producer.send(bodies);
    }

    private static List<WorkerApp> startTwo(QueueUrls queues, TestingPostgres.Schema schema) throws Exception {
        Map<String, String> values = new HashMap<>(TestingSqs.settings(queues));
        TestingNeo4j neo4j = TestingNeo4j.get();
        values.put("NEO4J_URI", neo4j.boltUri());
        values.put("NEO4J_USER", neo4j.user());
        values.put("NEO4J_PASSWORD", neo4j.password());
        values.put("DEVELOPMENT_NEO4J_URI", neo4j.boltUri());
        values.put("DEVELOPMENT_NEO4J_PASSWORD", neo4j.password());
        values.put("PRODUCTION_NEO4J_URI", production.boltUri());
        values.put("POSTGRES_URL", schema.jdbcUrl());
        values.put("SEGREL_POSTGRES_POOL_SIZE", "4");
        values.put("SQS_WAIT_SECONDS", "1");
        values.put("SEGREL_HTTP_PORT", "0");
        values.put("SEGREL_CONCURRENCY", "8");
        Settings settings = Settings.of(values);
        List<WorkerApp> workers = new ArrayList<>();
        Map<Integer, Exception> failures = new ConcurrentHashMap<>();
        // both start at once: both migrate, one adopts the tables
        List<Thread> starting = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int n = w;
            starting.add(Thread.ofPlatform().start(() -> {
                try {
                    WorkerApp app = WorkerApp.start(settings.with(Map.of("SEGREL_WORKER_ID", "deployed-" + n)));
                    synchronized (workers) {
                        workers.add(app);
                    }
                } catch (Exception e) {
                    failures.put(n, e);
                }
            }));
        }
        for (Thread t : starting) {
            t.join();
        }
        if (!failures.isEmpty()) {
            workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
            throw failures.values().iterator().next();
        }
        return workers;
    }

    private static TaskQueue queue(String url) {
        return new SqsTaskQueue(TestingSqs.client(), url, Optional.empty(), Duration.ofSeconds(30));
    }

    private static List<TaskQueue.QueuedMessage> receiveAll(TaskQueue queue) {
        List<TaskQueue.QueuedMessage> all = new ArrayList<>();
        List<TaskQueue.QueuedMessage> got;
        while (!(got = queue.receive(10, Duration.ofMillis(500))).isEmpty()) {
            all.addAll(got);
            queue.delete(got);
        }
        return all;
    }

    /** From the independent oracle, never from the search under test; a trivial answer is refused. */
    private static List<Mapping> expected(ReferenceRelations reference, String text, Span span) {
        List<Mapping> answer = reference.mappings(text, span.start(), span.end());
        NonTrivialAnswers.require(List.of(answer), 0);
        return answer;
    }

    private static long queryLong(TestingPostgres.Schema schema, String sql) {
        return schema.queryLong(sql);
    }

    private static Map<String, String> results(TestingPostgres.Schema schema, String sql) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(schema.jdbcUrl()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
