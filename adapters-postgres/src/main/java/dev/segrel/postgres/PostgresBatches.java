package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static dev.segrel.postgres.TaskTables.COMPLETED_DESTINATION;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.message.BatchCompletion;
import dev.segrel.core.port.out.Batches;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link Batches} on {@code segrel_batch}, one row per batch and run of its job. A registration and
 * the completions of the batch's segments serialise on the job row's lock (a registration takes it
 * first; a completion takes it when it counts its tasks, then counts down their batches in a later
 * statement of its transaction, by the number of its tasks each holds), so the batch's
 * {@code remaining} count is exact and its message is written once, by whichever of them brings it to 0.
 */
public final class PostgresBatches implements Batches {

    private static final String COLUMNS = """
            job_id, run, batch_key, batch_number, text_id, segment_ids, total_segments, source_environment,
            destination_environment, remaining, failed""";

    private final Jdbi jdbi;

    PostgresBatches(TaskTables tables) {
        this.jdbi = requireNonNull(tables, "tables is null").jdbi();
    }

    @Override
    public Registration register(Batch batch, Instant now) {
        requireNonNull(batch, "batch is null");
        requireNonNull(now, "now is null");
        try {
            return jdbi.inTransaction(h -> {
                Optional<Object[]> job = h.createQuery("""
                                SELECT manifestation_id, segrel_run, total_segments FROM root_job
                                WHERE job_id = :job FOR UPDATE""")
                        .bind("job", batch.jobId().value())
                        .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getInt(3)})
                        .findOne();
                if (job.isEmpty()) {
                    return new UnknownJob(batch.jobId());
                }
                String manifestation = (String) job.get()[0];
                int run = (Integer) job.get()[1];
                int jobTotal = (Integer) job.get()[2];
                if (!manifestation.equals(batch.manifestationId())) {
                    return new OfAnotherManifestation(batch.jobId(), manifestation);
                }
                if (batch.announced()) {
                    // its batches announce the job: it gets no job message
                    h.createUpdate("UPDATE root_job SET segrel_batched = true WHERE job_id = :job AND NOT segrel_batched")
                            .bind("job", batch.jobId().value())
                            .execute();
                }
                int[] done = h.createQuery("""
                                SELECT count(*) FILTER (WHERE status = 'COMPLETED'), count(*) FILTER (WHERE status = 'FAILED')
                                FROM segment_task
                                WHERE job_id = :job AND segrel_run = :run AND segment_id = ANY(:ids)
                                  AND status IN ('COMPLETED', 'FAILED')""")
                        .bind("job", batch.jobId().value())
                        .bind("run", run)
                        .bindArray("ids", String.class, batch.segmentIds())
                        .map((rs, ctx) -> new int[] {rs.getInt(1), rs.getInt(2)})
                        .one();
                int remaining = batch.segmentIds().size() - done[0] - done[1];
                Optional<Integer> inserted = h.createQuery("""
                                INSERT INTO segrel_batch (%s, created_at)
                                VALUES (:job, :run, :key, :number, :text, :ids, :total, :source, :destination, :remaining,
                                        :failed, :now)
                                ON CONFLICT (job_id, run, batch_key) DO NOTHING
                                RETURNING remaining""".formatted(COLUMNS))
                        .bind("job", batch.jobId().value())
                        .bind("run", run)
                        .bind("key", batch.key())
                        .bind("number", batch.batchNumber())
                        .bind("text", batch.manifestationId())
                        .bindArray("ids", String.class, batch.segmentIds())
                        .bind("total", batch.totalSegments())
                        .bind("source", batch.sourceEnvironment())
                        .bind("destination", batch.destinationEnvironment())
                        .bind("remaining", remaining)
                        .bind("failed", done[1])
                        .bind("now", at(now))
                        .mapTo(Integer.class)
                        .findOne();
                if (inserted.isEmpty()) {
                    int left = h.createQuery("""
                                    SELECT remaining FROM segrel_batch WHERE job_id = :job AND run = :run AND batch_key = :key""")
                            .bind("job", batch.jobId().value())
                            .bind("run", run)
                            .bind("key", batch.key())
                            .mapTo(Integer.class)
                            .one();
                    return new Registered(run, false, left);
                }
                if (remaining == 0) {
                    announce(h, batch, jobTotal, run, done[0], done[1], now);
                }
                return new Registered(run, true, remaining);
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "registering batch " + batch.key() + " of job " + batch.jobId());
        }
    }

    @Override
    public List<Batch> batchesOf(JobId jobId) {
        requireNonNull(jobId, "jobId is null");
        try {
            return jdbi.withHandle(h -> h.createQuery("""
                            SELECT %s FROM segrel_batch
                            WHERE job_id = :job AND run = (SELECT max(run) FROM segrel_batch WHERE job_id = :job)
                            ORDER BY batch_number NULLS LAST, batch_key""".formatted(COLUMNS))
                    .bind("job", jobId.value())
                    .map((rs, ctx) -> batch(rs))
                    .list());
        } catch (JdbiException e) {
            throw Failures.translate(e, "reading the batches of job " + jobId);
        }
    }

    /** A task a completion counted in run {@code run} of its batched job. */
    record CountedTask(JobId jobId, int run, String segmentId, boolean failed, TraceContext trace) {}

    /**
     * The batches of each counted task's run, counted down by the number of the set's tasks each holds,
     * in one statement, and the set of those reaching 0 announced in one more: one message per batch.
     */
    static final String COUNT_DOWN = """
            WITH c AS (
                SELECT * FROM unnest(CAST(:jobs AS uuid[]), CAST(:runs AS integer[]), CAST(:segments AS text[]),
                                     CAST(:failed AS boolean[])) AS c(job_id, run, segment_id, failed)),
            -- the runs' unfinished batches (those in flight: a few per worker), each intersected with the set by a
            -- hashed set operation: linear in both, where a join on `= ANY(segment_ids)` (or on the unnested ids,
            -- which the planner runs as a nested loop) compared every id of the set with every id of every batch
            open AS (
                SELECT b.job_id, b.run, b.batch_key, b.segment_ids FROM segrel_batch b
                WHERE b.remaining > 0 AND (b.job_id, b.run) IN (SELECT DISTINCT job_id, run FROM c)),
            counted AS (
                SELECT o.job_id, o.run, o.batch_key,
                       (SELECT count(*) FROM (SELECT unnest(o.segment_ids) INTERSECT ALL
                                              SELECT c.segment_id FROM c WHERE c.job_id = o.job_id AND c.run = o.run) x) AS n,
                       (SELECT count(*) FROM (SELECT unnest(o.segment_ids) INTERSECT ALL
                                              SELECT c.segment_id FROM c
                                              WHERE c.job_id = o.job_id AND c.run = o.run AND c.failed) x) AS f
                FROM open o),
            hits AS (SELECT * FROM counted WHERE n > 0)
            UPDATE segrel_batch b
            SET remaining = GREATEST(b.remaining - h.n, 0), failed = b.failed + h.f,
                announced_at = CASE WHEN b.remaining - h.n <= 0 THEN :now ELSE b.announced_at END
            FROM hits h
            WHERE b.job_id = h.job_id AND b.run = h.run AND b.batch_key = h.batch_key AND b.remaining > 0
            RETURNING %s""".formatted(COLUMNS.replaceAll("(\\w+)", "b.$1"));

    /**
     * In a completion's transaction, after its tasks were counted in their jobs' runs (so under the
     * job rows' locks): the batches of those runs holding the tasks count them, and each that reaches 0
     * is announced. At most two statements, none for an empty set. Returns how many were announced.
     *
     * @param jobTotals each job's {@code total_segments}
     */
    static int countInBatches(Handle h, List<CountedTask> tasks, Map<JobId, Integer> jobTotals, Instant now) {
        if (tasks.isEmpty()) {
            return 0;
        }
        int size = tasks.size();
        UUID[] jobs = new UUID[size];
        Integer[] runs = new Integer[size];
        String[] segments = new String[size];
        Boolean[] failed = new Boolean[size];
        for (int i = 0; i < size; i++) {
            CountedTask task = tasks.get(i);
            jobs[i] = task.jobId().value();
            runs[i] = task.run();
            segments[i] = task.segmentId();
            failed[i] = task.failed();
        }
        // a batch's message continues the trace of the set's last task of its job's run (a set is one batch message)
        Map<String, TraceContext> traceOfRun = new HashMap<>();
        for (CountedTask task : tasks) {
            if (task.trace() != null) {
                traceOfRun.put(task.jobId() + ":" + task.run(), task.trace());
            }
        }
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        List<String> traceParents = new ArrayList<>();
        List<String> traceStates = new ArrayList<>();
        int[] finished = {0};
        h.createQuery(COUNT_DOWN)
                .bindArray("jobs", UUID.class, (Object[]) jobs)
                .bindArray("runs", Integer.class, (Object[]) runs)
                .bindArray("segments", String.class, (Object[]) segments)
                .bindArray("failed", Boolean.class, (Object[]) failed)
                .bind("now", at(now))
                .map((rs, ctx) -> {
                    if (rs.getInt("remaining") == 0) {
                        finished[0]++;
                        Batch batch = batch(rs);
                        int run = rs.getInt("run");
                        int failedSegments = rs.getInt("failed");
                        if (batch.announced()) {
                            ids.add(messageId(batch, run));
                            bodies.add(BatchCompletion.toJson(batch, jobTotals.get(batch.jobId()), run,
                                    batch.segmentIds().size() - failedSegments, failedSegments));
                            TraceContext trace = traceOfRun.get(batch.jobId() + ":" + run);
                            traceParents.add(trace == null ? null : trace.traceparent());
                            traceStates.add(trace == null ? null : trace.tracestate());
                        }
                    }
                    return 1;
                })
                .list();
        if (!ids.isEmpty()) {
            h.createUpdate(ANNOUNCE)
                    .bindArray("ids", String.class, ids)
                    .bindArray("bodies", String.class, bodies)
                    .bindArray("traceParents", String.class, traceParents)
                    .bindArray("traceStates", String.class, traceStates)
                    .bind("destination", COMPLETED_DESTINATION)
                    .bind("now", at(now))
                    .execute();
        }
        return finished[0];
    }

    /**
     * The batches' messages, each under its batch's id ({@code batch-completed:<job>:<run>:<key>}) the
     * first time and under {@code <id>:a2}, {@code :a3} ... once a batch reprocessed after it was
     * announced ends again, so a
     * FIFO queue or a deduplicating consumer does not drop the new announcement. The id is the outbox
     * row's key: the relay's retries keep it.
     */
    static final String ANNOUNCE = """
            INSERT INTO segrel_outbox (message_id, destination, body, created_at, available_at, trace_parent, trace_state)
            SELECT %s, :destination, m.body, :now, :now, m.trace_parent, m.trace_state
            FROM unnest(CAST(:ids AS text[]), CAST(:bodies AS text[]), CAST(:traceParents AS text[]),
                        CAST(:traceStates AS text[])) AS m(id, body, trace_parent, trace_state)
            %s
            ON CONFLICT (message_id) DO NOTHING""".formatted(AnnouncementIds.next("m.id"), AnnouncementIds.prior("m.id"));

    /**
     * The batches of the job's current run holding reprocessed tasks that had ended count them as
     * remaining again, so the batch is announced again when they end again; an announcement of such a
     * batch not sent yet is dropped (the next one supersedes it), a sent one is kept (it names the ids
     * already used).
     */
    static final String REOPEN = """
            WITH r AS (
                SELECT * FROM unnest(CAST(:segments AS text[]), CAST(:failed AS boolean[])) AS r(segment_id, failed)),
            hits AS (
                SELECT b.run, b.batch_key,
                       (SELECT count(*) FROM (SELECT unnest(b.segment_ids) INTERSECT ALL SELECT r.segment_id FROM r) x) AS n,
                       (SELECT count(*) FROM (SELECT unnest(b.segment_ids) INTERSECT ALL
                                              SELECT r.segment_id FROM r WHERE r.failed) x) AS f
                FROM segrel_batch b
                WHERE b.job_id = :job AND b.run = (SELECT segrel_run FROM root_job WHERE job_id = :job)),
            reopened AS (
                UPDATE segrel_batch b
                SET remaining = b.remaining + h.n, failed = GREATEST(b.failed - h.f, 0), announced_at = NULL
                FROM hits h
                WHERE b.job_id = :job AND b.run = h.run AND b.batch_key = h.batch_key AND h.n > 0
                RETURNING 'batch-completed:' || b.job_id::text || ':' || b.run || ':' || b.batch_key AS id)
            DELETE FROM segrel_outbox o USING reopened
            WHERE o.sent_at IS NULL AND %s""".formatted(AnnouncementIds.firstOrLater("o.message_id", "reopened.id", ":a"));

    /**
     * In a reprocessing's transaction: the reset tasks that had ended ({@code failed} says which of them
     * had failed) are taken out of their batches' counts, which are announced again when they end again.
     */
    static void reopen(Handle h, JobId jobId, List<String> segments, List<Boolean> failed) {
        if (segments.isEmpty()) {
            return;
        }
        h.createUpdate(REOPEN)
                .bind("job", jobId.value())
                .bindArray("segments", String.class, segments)
                .bindArray("failed", Boolean.class, failed)
                .execute();
    }

    private static String messageId(Batch batch, int run) {
        return "batch-completed:" + batch.jobId() + ":" + run + ":" + batch.key();
    }

    /** The batch's completion message, into the outbox; none for a batch without a destination. */
    private static void announce(Handle h, Batch batch, int jobTotal, int run, int completed, int failed, Instant now) {
        h.createUpdate("UPDATE segrel_batch SET announced_at = :now WHERE job_id = :job AND run = :run AND batch_key = :key")
                .bind("now", at(now))
                .bind("job", batch.jobId().value())
                .bind("run", run)
                .bind("key", batch.key())
                .execute();
        if (!batch.announced()) {
            return;
        }
        h.createUpdate(ANNOUNCE)
                .bindArray("ids", String.class, List.of(messageId(batch, run)))
                .bindArray("bodies", String.class, List.of(BatchCompletion.toJson(batch, jobTotal, run, completed, failed)))
                .bindArray("traceParents", String.class, Arrays.asList((String) null))
                .bindArray("traceStates", String.class, Arrays.asList((String) null))
                .bind("destination", COMPLETED_DESTINATION)
                .bind("now", at(now))
                .execute();
    }

    private static Batch batch(ResultSet rs) throws SQLException {
        Array ids = rs.getArray("segment_ids");
        List<String> segmentIds = Arrays.asList((String[]) ids.getArray());
        int number = rs.getInt("batch_number");
        Integer batchNumber = rs.wasNull() ? null : number;
        int total = rs.getInt("total_segments");
        Integer totalSegments = rs.wasNull() ? null : total;
        return new Batch(new JobId(rs.getObject("job_id", UUID.class)), rs.getString("text_id"), batchNumber,
                totalSegments, segmentIds, rs.getString("source_environment"), rs.getString("destination_environment"));
    }
}
