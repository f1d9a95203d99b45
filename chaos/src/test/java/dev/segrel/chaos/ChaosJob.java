package dev.segrel.chaos;

import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.json.JsonLimits;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsQueueAdmin;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * One scenario's job: a fresh schema and fresh queues, a job of {@code size} segments of the canon's
 * root, the settings its workers run with, and {@link #verify} — the invariants every scenario ends on.
 *
 * <p>In {@link Mode#SINGLE} the job is made as the older producer made it (a job row and one task row
 * per segment) and its bodies are single-segment messages. In {@link Mode#BATCH} it is made as the
 * deployed producer makes it today (one {@code root_job} row with its {@code total_segments}, no task
 * rows: the worker creates them) and its bodies are batch messages of {@link #BATCH_SIZE} segments
 * naming a source and a destination environment; every batch is then announced by exactly one
 * completion message and the job by none.
 */
final class ChaosJob implements AutoCloseable {

    /** How the job is made and what its producer sends. */
    enum Mode {
        /** Task rows made up front; one single-format message per segment; one job completion message. */
        SINGLE,
        /** The deployed producer's way: job row only; batch messages; one completion message per batch. */
        BATCH;

        /** The scenario name of {@code base} in this mode: its schema, queues, logs. */
        String scenario(String base) {
            return this == SINGLE ? base : base + "-batch";
        }

        /** A scenario's figures title in this mode. */
        String title(String base) {
            return this == SINGLE ? base : base + ", batch messages";
        }
    }

    /**
     * Segments per batch message in {@link Mode#BATCH}: the deployed producer's 500 in full runs, 50
     * at the reduced size so that a job still has several batches ({@code -Dchaos.batch=N} to choose).
     */
    static final int BATCH_SIZE = Integer.getInteger("chaos.batch", ChaosRig.FULL ? 500 : 50);
    /** The environments batch messages name; the source's graph is configured as {@code DEVELOPMENT_NEO4J_URI}. */
    static final String SOURCE_ENVIRONMENT = "DEVELOPMENT";
    static final String DESTINATION_ENVIRONMENT = "PRODUCTION";

    final String scenario;
    final Mode mode;
    /** Segments per batch message in batch mode. */
    final int batchSize;
    final JobId id = JobId.random();
    final int size;
    final String jdbcUrl;
    final QueueUrls queues;
    final Postgres postgres;
    final SqsTaskQueue producer;
    final SqsQueueAdmin admin;
    private final ChaosRig rig;
    private final Instant began = Instant.now();
    private long sent;
    /** Segments a scenario makes fail on purpose; {@link #verify} requires exactly these FAILED. */
    private java.util.Set<String> expectedFailed = java.util.Set.of();

    private ChaosJob(ChaosRig rig, String scenario, Mode mode, int size, int batchSize, String jdbcUrl,
            QueueUrls queues) {
        this.rig = rig;
        this.scenario = scenario;
        this.mode = mode;
        this.batchSize = batchSize;
        this.size = size;
        this.jdbcUrl = jdbcUrl;
        this.queues = queues;
        this.postgres = Postgres.connect(PostgresConfig.ofUrl(jdbcUrl).withPoolSize(2));
        this.producer = new SqsTaskQueue(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()),
                Duration.ofSeconds(30));
        this.admin = new SqsQueueAdmin(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()));
    }

    /**
     * A job on a fresh schema (migrated here, not by the workers) and fresh queues. The queue redrives
     * to its dead-letter queue only after 1,000 receives: every dead letter in these scenarios is the
     * worker's own decision, recorded with its reason.
     */
    static ChaosJob create(String scenario) {
        return create(scenario, Mode.SINGLE);
    }

    /** A job of {@code mode} for scenario {@code base} (named {@code base-batch} in batch mode). */
    static ChaosJob create(String base, Mode mode) {
        return create(base, mode, ChaosRig.SEGMENTS);
    }

    static ChaosJob create(String scenario, int size) {
        return create(scenario, Mode.SINGLE, size);
    }

    static ChaosJob create(String base, Mode mode, int size) {
        return create(base, mode, size, BATCH_SIZE);
    }

    /** As {@link #create(String, Mode, int)}, with batch messages of {@code batchSize} segments in batch mode. */
    static ChaosJob create(String base, Mode mode, int size, int batchSize) {
        ChaosRig rig = ChaosRig.get();
        String scenario = mode.scenario(base);
        String url = rig.postgres.freshSchemaUrl();
        ChaosJob job = new ChaosJob(rig, scenario, mode, size, batchSize, url,
                TestingSqs.createQueues("chaos-" + scenario, 1_000));
        job.postgres.migrator().migrate();
        if (mode == Mode.SINGLE) {
            job.postgres.jobs().createJob(ThreeTextCanon.job(job.id, size), Instant.now());
        } else {
            submitAsTheDeployedProducer(url, job.id, size);
        }
        return job;
    }

    /**
     * The deployed producer's insert, in plain SQL as it writes it: one QUEUED job row with its
     * {@code total_segments} and {@code completed_segments} 0, and no task rows.
     */
    static void submitAsTheDeployedProducer(String jdbcUrl, JobId id, int size) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement s = c.prepareStatement(
                "INSERT INTO root_job (job_id, manifestation_id, total_segments, completed_segments, status, created_at,"
                        + " updated_at) VALUES (?, ?, ?, 0, 'QUEUED', now(), now())")) {
            s.setObject(1, id.value());
            s.setString(2, ThreeTextCanon.ROOT);
            s.setInt(3, size);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("deployed producer: " + e.getMessage(), e);
        }
    }

    /** How many batch messages the job has in batch mode: ceil(size / batchSize). */
    int batches() {
        return (size + batchSize - 1) / batchSize;
    }

    /** The segment ids of batch {@code number} (from 1), in the order the producer lists them. */
    List<String> batchSegmentIds(int number) {
        List<String> ids = new ArrayList<>();
        for (int i = (number - 1) * batchSize; i < Math.min(size, number * batchSize); i++) {
            ids.add(ThreeTextCanon.rootSegment(i));
        }
        return ids;
    }

    /**
     * Every message of the job once, in order: one single-format body per task, or in batch mode one
     * batch body per {@link #batchSize} segments, as the deployed producer writes them.
     */
    List<String> taskBodies() {
        if (mode == Mode.SINGLE) {
            return ThreeTextCanon.taskBodies(id, size);
        }
        return batchBodies(id, size, batchSize);
    }

    /**
     * The deployed producer's batch messages of a job over the canon root's first {@code size}
     * segments: {@code batchSize} segments each, in order, numbered from 1, from {@link #SOURCE_ENVIRONMENT}
     * to {@link #DESTINATION_ENVIRONMENT}.
     */
    static List<String> batchBodies(JobId id, int size, int batchSize) {
        List<String> bodies = new ArrayList<>();
        for (int number = 1, from = 0; from < size; number++, from += batchSize) {
            List<TaskRequest> requests = new ArrayList<>();
            for (int i = from; i < Math.min(size, from + batchSize); i++) {
                requests.add(new TaskRequest(id, ThreeTextCanon.ROOT, ThreeTextCanon.rootSegment(i),
                        ThreeTextCanon.rootSpan(i)));
            }
            bodies.add(TaskMessage.toBatchJson(requests, number, size, SOURCE_ENVIRONMENT, DESTINATION_ENVIRONMENT));
        }
        return bodies;
    }

    /** Sends bodies as a producer would: in batches of 10, a body too big for a batch on its own. */
    void send(List<String> bodies) {
        List<String> batchable = new ArrayList<>();
        int batchBytes = 0;
        for (String body : bodies) {
            int bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > 20_000) {
                TestingSqs.client().sendMessage(SendMessageRequest.builder().queueUrl(queues.queue())
                        .messageBody(body).build());
                continue;
            }
            if (batchable.size() == TaskQueue.MAX_BATCH || batchBytes + bytes > 200_000) {
                producer.send(batchable);
                batchable = new ArrayList<>();
                batchBytes = 0;
            }
            batchable.add(body);
            batchBytes += bytes;
        }
        if (!batchable.isEmpty()) {
            producer.send(batchable);
        }
        sent += bodies.size();
    }

    long sent() {
        return sent;
    }

    /** Declares the segments this scenario makes fail: {@link #verify} then requires exactly these FAILED. */
    ChaosJob expectFailed(java.util.Set<String> segmentIds) {
        expectedFailed = java.util.Set.copyOf(segmentIds);
        return this;
    }

    /** The worker settings of this job: fast leases and retries, so that faults play out in seconds. */
    Settings workerSettings() {
        Map<String, String> values = new HashMap<>(TestingSqs.settings(queues));
        values.put("NEO4J_URI", rig.neo4jUri());
        values.put("NEO4J_USER", "neo4j");
        values.put("NEO4J_PASSWORD", "");
        values.put("NEO4J_CONNECT_TIMEOUT_MS", "5000");
        values.put("NEO4J_QUERY_TIMEOUT_MS", "10000");
        if (mode == Mode.BATCH) {
            // the batches' source_environment picks the graph: <SOURCE>_NEO4J_URI, its password, NEO4J_USER
            values.put(SOURCE_ENVIRONMENT + "_NEO4J_URI", rig.neo4jUri());
            values.put(SOURCE_ENVIRONMENT + "_NEO4J_PASSWORD", "");
        }
        values.put("POSTGRES_URL", jdbcUrl);
        values.put("SEGREL_POSTGRES_POOL_SIZE", "4");
        values.put("SEGREL_MIGRATE_ON_START", "false");
        values.put("SQS_WAIT_SECONDS", "1");
        values.put("SQS_VISIBILITY_SECONDS", "4");
        values.put("SEGREL_CONCURRENCY", "8");
        values.put("SEGREL_MAX_ATTEMPTS", "8");
        values.put("SEGREL_RETRY_BASE_MS", "200");
        values.put("SEGREL_RETRY_MAX_MS", "2000");
        values.put("SEGREL_SWEEP_INTERVAL_SECONDS", "2");
        values.put("SEGREL_RELAY_INTERVAL_MS", "200");
        values.put("SEGREL_SHUTDOWN_GRACE_SECONDS", "10");
        values.put("SEGREL_HTTP_PORT", "-1");
        return Settings.of(values);
    }

    /** The job's status, or empty while the database cannot answer (a fault in progress). */
    Optional<JobStatus> status() {
        try {
            return postgres.jobs().jobStatus(id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    int completed() {
        return status().map(JobStatus::completedSegments).orElse(-1);
    }

    /** Tasks COMPLETED or FAILED, -1 while the database cannot answer. */
    int settled() {
        return status().map(s -> s.completedSegments() + s.failedSegments()).orElse(-1);
    }

    void awaitSettled(int atLeast) {
        Awaiting.until(this::settled, n -> {
            Fleet.failIfAllDead();
            return n >= atLeast;
        }, Duration.ofMinutes(3));
    }

    JobStatus awaitTerminal() {
        return Awaiting.until(this::status, s -> {
            Fleet.failIfAllDead();
            return s.isPresent() && s.get().state().isTerminal();
        }, Duration.ofMinutes(8)).orElseThrow();
    }

    long queryLong(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    Map<String, Long> countBy(String sql) {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** What a scenario expects at the end. */
    record Expect(JobState state, long rejected) {
        static Expect completed(long rejected) {
            return new Expect(JobState.COMPLETED, rejected);
        }
    }

    /**
     * The invariants, checked once the job is terminal and the workers are still up: every task has
     * exactly one result equal to the BFS computed directly, the counters are exact, nothing is left
     * QUEUED/RETRYING/IN_PROGRESS, one completion message, every refused message recorded and
     * dead-lettered, the task queue drained, no worker crashed. Returns the figures; fails with every
     * violation at once.
     */
    Figures verify(Fleet fleet, Expect expect, Figures figures) {
        List<String> violations = new ArrayList<>();
        JobStatus status = awaitTerminal();
        // duplicates still queued are acknowledged as no-ops: wait for the queue to drain
        QueueAdmin.QueueStats stats = Awaiting.until(admin::stats, st -> st.visible() + st.inFlight() + st.delayed() == 0,
                Duration.ofMinutes(3));
        // the completion message goes through the outbox: wait until it is relayed
        Awaiting.until(() -> queryLong("SELECT count(*) FROM segrel_outbox WHERE sent_at IS NULL"), n -> n == 0,
                Duration.ofMinutes(1));

        if (status.state() != expect.state()) {
            violations.add("job is " + status.state() + ", expected " + expect.state());
        }
        Map<String, Long> byStatus = countBy("SELECT status::text, count(*) FROM segment_task WHERE job_id = '" + id
                + "' GROUP BY status");
        long rows = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long completedRows = byStatus.getOrDefault("COMPLETED", 0L);
        long failedRows = byStatus.getOrDefault("FAILED", 0L);
        long pending = rows - completedRows - failedRows;
        if (rows != size) {
            violations.add(rows + " task rows, expected " + size);
        }
        if (pending != 0) {
            violations.add(pending + " tasks not terminal: " + byStatus);
        }
        if (status.completedSegments() != completedRows) {
            violations.add("completed_segments = " + status.completedSegments() + " but " + completedRows
                    + " tasks are COMPLETED");
        }
        if (status.failedSegments() != failedRows) {
            violations.add("failed_segments = " + status.failedSegments() + " but " + failedRows + " tasks are FAILED");
        }
        if (expect.state() == JobState.COMPLETED && failedRows != 0) {
            violations.add(failedRows + " tasks FAILED in a scenario that must complete");
        }

        // every result equals the BFS computed directly on the fixture
        List<TaskDetail> results = new ArrayList<>();
        postgres.reads().forEachTask(id, results::add);
        int checked = 0;
        int wrong = 0;
        int failedWithoutError = 0;
        java.util.Set<String> failedIds = new java.util.TreeSet<>();
        for (TaskDetail r : results) {
            if (r.state() == TaskState.FAILED) {
                failedIds.add(r.key().segmentId());
            }
            if (r.state() == TaskState.COMPLETED) {
                if (!r.mappings().equals(rig.expected.get(r.key().segmentId()))) {
                    wrong++;
                    if (wrong <= 5) {
                        violations.add("result of " + r.key().segmentId() + " is " + r.mappings() + ", BFS says "
                                + rig.expected.get(r.key().segmentId()));
                    }
                }
                checked++;
            } else if (r.state() == TaskState.FAILED && (r.error() == null || r.error().isBlank())) {
                failedWithoutError++;
            }
        }
        if (!expectedFailed.isEmpty() && !failedIds.equals(new java.util.TreeSet<>(expectedFailed))) {
            violations.add("FAILED tasks " + failedIds + ", expected exactly " + new java.util.TreeSet<>(expectedFailed));
        }
        if (failedWithoutError > 0) {
            violations.add(failedWithoutError + " FAILED tasks without their error");
        }
        long resultRows = queryLong("SELECT count(*) FROM segment_task WHERE job_id = '" + id
                + "' AND result_json IS NOT NULL");
        if (resultRows != completedRows) {
            violations.add(resultRows + " result rows for " + completedRows + " COMPLETED tasks");
        }

        // single: exactly one job completion message; batch: exactly one per batch and none for the job
        long outbox;
        long forJob;
        long expectedMessages = mode == Mode.SINGLE ? 1 : batches();
        List<String> completions = drainCompletions();
        long resentAfterKill = 0;
        if (mode == Mode.SINGLE) {
            outbox = queryLong("SELECT count(*) FROM segrel_outbox WHERE body LIKE '%" + id + "%'");
            if (outbox != 1) {
                violations.add(outbox + " completion messages in the outbox, expected 1");
            }
            forJob = completions.stream().filter(b -> b.contains(id.toString())).count();
            if (forJob != 1 || completions.size() != 1) {
                violations.add(completions.size() + " completion messages on the queue (" + forJob + " for the job): "
                        + completions);
            } else if (!completions.get(0).contains("\"status\":\"" + expect.state() + "\"")) {
                violations.add("completion message says " + completions.get(0));
            }
        } else {
            outbox = queryLong("SELECT count(*) FROM segrel_outbox WHERE message_id LIKE 'batch-completed:" + id + ":%'");
            long jobMessages = queryLong("SELECT count(*) FROM segrel_outbox WHERE message_id NOT LIKE 'batch-completed:%'");
            if (outbox != batches()) {
                violations.add(outbox + " batch completion messages in the outbox, expected " + batches());
            }
            if (jobMessages != 0) {
                violations.add(jobMessages + " job-level messages in the outbox of a job whose batches name a destination");
            }
            if (scenario.startsWith("kill")) {
                // A SIGKILL between the relay's send and its record of it leaves the row to be sent again: the
                // outbox is at-least-once per message there by construction (docs/reliability.md), as an SQS
                // standard queue is itself. The same announcement twice is counted, not an error; two
                // different announcements of one batch still are.
                List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(completions));
                resentAfterKill = completions.size() - distinct.size();
                forJob = checkBatchCompletions(distinct, expect, violations);
            } else {
                forJob = checkBatchCompletions(completions, expect, violations);
            }
            checkSourceGraph(fleet, violations);
        }

        // refused messages: every one recorded with a reason and dead-lettered
        long rejected = queryLong("SELECT count(*) FROM segrel_rejected_message");
        long rejectedWithoutReason = queryLong("SELECT count(*) FROM segrel_rejected_message WHERE btrim(reason) = ''");
        long deadLettered = admin.stats().deadLetterVisible().orElse(-1);
        if (rejected != expect.rejected()) {
            violations.add(rejected + " messages recorded as rejected, expected " + expect.rejected());
        }
        if (deadLettered != expect.rejected()) {
            violations.add(deadLettered + " messages on the dead-letter queue, expected " + expect.rejected());
        }
        if (rejectedWithoutReason > 0) {
            violations.add(rejectedWithoutReason + " rejected messages without a reason");
        }

        // no worker crashed
        List<String> deaths = fleet.unexpectedDeaths();
        violations.addAll(deaths);
        violations.addAll(fleet.problems());

        long lost = size - completedRows - failedRows + Math.max(0, completedRows - resultRows);
        long doubled = Math.max(0, forJob - expectedMessages) + Math.max(0, outbox - expectedMessages)
                + Math.max(0, rows - size)
                + Math.max(0, status.completedSegments() - completedRows);
        figures.put("messages", mode == Mode.SINGLE ? "single-segment" : "batches of " + batchSize
                        + ", job row only (the deployed producer's way)")
                .put("segments in the job", size)
                .put("workers", fleet.size())
                .put("worker processes started", fleet.starts())
                .put(mode == Mode.SINGLE ? "task messages sent" : "batch messages sent", sent)
                .put("results checked against the BFS", checked)
                .put("results wrong", wrong)
                .put("tasks COMPLETED / FAILED", completedRows + " / " + failedRows)
                .put("completed_segments / failed_segments", status.completedSegments() + " / " + status.failedSegments())
                .put("job state", status.state())
                .put("messages recorded as rejected", rejected)
                .put("messages on the dead-letter queue", deadLettered)
                .put("completion messages", forJob)
                .put("completion messages expected", expectedMessages)
                .put("task queue at the end (visible + in flight)", stats.visible() + stats.inFlight())
                .put("worker crashes", deaths.size() + fleet.problems().size())
                .put("lost", lost)
                .put("doubled", doubled);
        if (resentAfterKill > 0) {
            figures.put("announcements sent again after a SIGKILL (the same message)", resentAfterKill);
        }
        if (!violations.isEmpty()) {
            throw new AssertionError(scenario + ": " + violations.size() + " invariant(s) broken:\n  "
                    + String.join("\n  ", violations) + "\nfigures:\n" + figures.markdown());
        }
        return figures;
    }

    /**
     * The batch completion messages on the queue: each batch 1..n announced exactly once, with exactly
     * its segment ids in order, the job's total, both environments and the expected status, and nothing
     * else on the queue (no job-level message). Returns how many messages are the job's.
     */
    private long checkBatchCompletions(List<String> completions, Expect expect, List<String> violations) {
        Map<Integer, Integer> perBatch = new TreeMap<>();
        long forJob = 0;
        int shown = 0;
        for (String body : completions) {
            Object parsed = JsonReader.withLimits(JsonLimits.DEFAULT).parse(body);
            if (!(parsed instanceof Map<?, ?> m) || !id.toString().equals(m.get("root_job_id"))
                    || !(m.get("batch_number") instanceof Number number)) {
                violations.add("a completion message that is not a batch completion of the job: "
                        + body.substring(0, Math.min(300, body.length())));
                continue;
            }
            forJob++;
            int n = number.intValue();
            perBatch.merge(n, 1, Integer::sum);
            List<String> problems = new ArrayList<>();
            if (!batchSegmentIds(n).equals(m.get("segment_ids"))) {
                problems.add("segment_ids are not exactly the batch's");
            }
            if (!ThreeTextCanon.ROOT.equals(m.get("text_id"))) {
                problems.add("text_id " + m.get("text_id"));
            }
            if (!(m.get("total_segments") instanceof Number total) || total.intValue() != size) {
                problems.add("total_segments " + m.get("total_segments"));
            }
            if (!SOURCE_ENVIRONMENT.equals(m.get("source_environment"))
                    || !DESTINATION_ENVIRONMENT.equals(m.get("destination_environment"))) {
                problems.add("environments " + m.get("source_environment") + " -> " + m.get("destination_environment"));
            }
            if (!expect.state().toString().equals(m.get("status"))) {
                problems.add("status " + m.get("status"));
            }
            if (!problems.isEmpty() && shown++ < 5) {
                violations.add("completion message of batch " + n + ": " + String.join(", ", problems));
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int n = 1; n <= batches(); n++) {
            if (!perBatch.containsKey(n)) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            violations.add("batches never announced: " + missing);
        }
        perBatch.forEach((n, count) -> {
            if (count != 1) {
                violations.add("batch " + n + " announced " + count + " times");
            }
            if (n < 1 || n > batches()) {
                violations.add("a completion message for batch " + n + ", which the job does not have");
            }
        });
        return forJob;
    }

    /** Batch mode: the workers searched the source environment's own graph, never the default one instead. */
    private void checkSourceGraph(Fleet fleet, List<String> violations) {
        boolean opened = false;
        for (java.nio.file.Path log : fleet.logs()) {
            String text = Fleet.read(log);
            opened |= text.contains("Opened the graph of environment " + SOURCE_ENVIRONMENT);
            if (text.contains("has no graph of its own")) {
                violations.add(log.getFileName() + ": the source environment fell back to the default graph");
            }
        }
        if (!opened) {
            violations.add("no worker opened the graph of environment " + SOURCE_ENVIRONMENT);
        }
    }

    private List<String> drainCompletions() {
        SqsTaskQueue completed = new SqsTaskQueue(TestingSqs.client(), queues.completed(), Optional.empty(),
                Duration.ofSeconds(60));
        List<String> bodies = new ArrayList<>();
        int empty = 0;
        while (empty < 2) {
            List<TaskQueue.QueuedMessage> got = completed.receive(10, Duration.ofSeconds(1));
            if (got.isEmpty()) {
                empty++;
            }
            got.forEach(m -> bodies.add(m.body()));
        }
        return bodies;
    }

    Duration elapsed() {
        return Duration.between(began, Instant.now());
    }

    @Override
    public void close() {
        postgres.close();
    }
}
