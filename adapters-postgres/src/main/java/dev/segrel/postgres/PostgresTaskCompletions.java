package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static dev.segrel.postgres.TaskTables.COMPLETED_DESTINATION;
import static dev.segrel.postgres.TaskTables.completionBody;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.out.ResultTooLargeException;
import dev.segrel.core.port.out.TaskCompletions;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;

/**
 * {@link TaskCompletions} on {@code segment_task}, {@code root_job} and {@code segrel_outbox}: the end
 * of a set of tasks (complete and fail are a set of one) is one statement, fenced per task by its lease
 * token, in one transaction. The jobs' counters are updated in the same statement as the tasks, under
 * the job rows' locks, so the last task of a job is recognised exactly once, and its completion message
 * is inserted into the outbox by that same statement. A set of several jobs locks them first, in id
 * order; the batches of batched jobs take one statement more, and their messages one more.
 */
public final class PostgresTaskCompletions implements TaskCompletions {

    /** The job's counters move with the task; the last terminal task finishes the job and writes its message. */
    private static final String OUTBOX_INSERT = """
            sent AS (
                INSERT INTO segrel_outbox (message_id, destination, body, created_at, available_at, trace_parent,
                                           trace_state)
                SELECT %s, '%s', %s, :now, :now, tr.trace_parent, tr.trace_state
                FROM job
                CROSS JOIN LATERAL (SELECT %s AS id) base
                -- a job reprocessed after its announcement went out announces again under a new id (:a2, :a3 ...)
                -- that a FIFO queue or a deduplicating consumer does not drop; the first keeps its plain id
                %s
                -- the message continues the trace of the set's last task of the job
                LEFT JOIN LATERAL (SELECT l.trace_parent, l.trace_state FROM done d JOIN l ON l.n = d.n
                                   WHERE d.job_id = job.job_id ORDER BY d.n DESC LIMIT 1) tr ON true
                WHERE finished AND NOT segrel_batched
                ON CONFLICT (message_id) DO NOTHING)
            """.formatted(AnnouncementIds.next("base.id"), COMPLETED_DESTINATION, completionBody(""),
                    AnnouncementIds.jobBase("job.job_id", "job.segrel_run"), AnnouncementIds.prior("base.id"));

    /**
     * The set's end, one statement: every task still held by its lease (locked in the claims' order)
     * takes its result or its failure; the counted ones (COMPLETED or FAILED, in their job's current
     * run) move their jobs' counters by their number per job, under the job row's lock; the jobs this
     * makes terminal get their completion message. One row per task written, with what its job was
     * before the set ({@code status_before}, from the statement's snapshot) and after it.
     */
    private static final String END_ALL = """
            WITH l AS (
                SELECT * FROM unnest(CAST(:tasks AS uuid[]), CAST(:tokens AS bigint[]), CAST(:owners AS text[]),
                                     CAST(:results AS jsonb[]), CAST(:errors AS text[]), CAST(:permanent AS boolean[]),
                                     CAST(:traceParents AS text[]), CAST(:traceStates AS text[]))
                         WITH ORDINALITY AS l(task_id, token, owner, result, error, permanent, trace_parent,
                                              trace_state, n)),
            %s,
            done AS (
                UPDATE segment_task t
                SET status = CAST(CASE WHEN l.result IS NOT NULL THEN 'COMPLETED'
                                       WHEN l.permanent OR t.attempts >= :maxAttempts THEN 'FAILED'
                                       ELSE 'RETRYING' END AS %%TASK%%),
                    result_json = CASE WHEN l.result IS NOT NULL THEN l.result ELSE t.result_json END,
                    error_message = l.error, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                FROM l
                WHERE %s AND t.task_id IN (SELECT task_id FROM locked)
                RETURNING l.n, t.job_id, t.segrel_run, t.attempts, t.status::text AS status),
            counts AS (
                SELECT job_id, segrel_run, count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
                       count(*) FILTER (WHERE status = 'FAILED') AS failed
                FROM done WHERE status IN ('COMPLETED', 'FAILED')
                GROUP BY job_id, segrel_run),
            job AS (
                UPDATE root_job j
                SET completed_segments = j.completed_segments + c.completed,
                    failed_segments = j.failed_segments + c.failed,
                    status = CAST(CASE WHEN j.completed_segments + c.completed + j.failed_segments + c.failed
                                            >= j.total_segments
                                       THEN CASE WHEN j.failed_segments + c.failed > 0 THEN 'FAILED' ELSE 'COMPLETED' END
                                       ELSE 'IN_PROGRESS' END AS %%JOB%%),
                    updated_at = :now
                FROM counts c WHERE j.job_id = c.job_id AND j.segrel_run = c.segrel_run
                RETURNING j.job_id, j.manifestation_id, j.status::text AS status, j.total_segments,
                          j.completed_segments, j.failed_segments, j.segrel_run, j.segrel_batched,
                          c.completed AS set_completed, c.failed AS set_failed,
                          -- the set brought the job to its total (one by one, one of its tasks would)
                          (j.completed_segments + j.failed_segments - c.completed - c.failed < j.total_segments
                           AND j.completed_segments + j.failed_segments >= j.total_segments) AS finished),
            %s
            SELECT d.n, d.status AS task_status, d.attempts, d.job_id, d.segrel_run,
                   job.job_id IS NOT NULL AS job_counted, job.total_segments, job.completed_segments,
                   job.failed_segments, job.set_completed, job.set_failed, COALESCE(job.segrel_batched, false) AS batched,
                   (SELECT j.status::text FROM root_job j WHERE j.job_id = d.job_id) AS status_before
            FROM done d LEFT JOIN job ON job.job_id = d.job_id AND job.segrel_run = d.segrel_run""".formatted(
            TaskTables.LOCKED, TaskTables.fenceEach("t", "l"), OUTBOX_INSERT);

    private final TaskTables tables;
    private final Jdbi jdbi;
    private final int maxResultBytes;

    PostgresTaskCompletions(TaskTables tables, int maxResultBytes) {
        this.tables = requireNonNull(tables, "tables is null");
        this.jdbi = tables.jdbi();
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be >= 1, was " + maxResultBytes);
        }
        this.maxResultBytes = maxResultBytes;
    }

    @Override
    public CompleteResult complete(Lease lease, List<Mapping> result, Instant now) {
        requireNonNull(lease, "lease is null");
        requireNonNull(result, "result is null");
        requireNonNull(now, "now is null");
        String json = MappingJson.write(result);
        String tooLarge = tooLarge(lease, json);
        if (tooLarge != null) {
            throw new ResultTooLargeException(tooLarge);
        }
        return (CompleteResult) end(List.of(Ending.success(lease, result)), new String[] {json}, new String[1], 1, now,
                "completing " + lease.key()).get(0);
    }

    @Override
    public FailResult fail(Lease lease, String error, boolean permanent, int maxAttempts, Instant now) {
        requireNonNull(lease, "lease is null");
        requireNonNull(now, "now is null");
        checkMaxAttempts(maxAttempts);
        Ending ending = Ending.failure(lease, error == null ? "unknown error" : error, permanent);
        return (FailResult) end(List.of(ending), new String[1], new String[1], maxAttempts, now, "failing " + lease.key())
                .get(0);
    }

    @Override
    public List<EndResult> endAll(List<Ending> endings, int maxAttempts, Instant now) {
        requireNonNull(endings, "endings is null");
        requireNonNull(now, "now is null");
        checkMaxAttempts(maxAttempts);
        String[] jsons = new String[endings.size()];
        String[] tooLarge = new String[endings.size()];
        for (int i = 0; i < endings.size(); i++) {
            Ending ending = requireNonNull(endings.get(i), "an ending is null");
            if (ending.result() != null) {
                String json = MappingJson.write(ending.result());
                tooLarge[i] = tooLarge(ending.lease(), json);
                jsons[i] = tooLarge[i] == null ? json : null;
            }
        }
        return end(endings, jsons, tooLarge, maxAttempts, now,
                endings.size() == 1 ? "ending " + endings.get(0).lease().key() : "ending " + endings.size() + " tasks");
    }

    private static void checkMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
    }

    /** Why {@code json} is too large to store, or null when it is not. */
    private String tooLarge(Lease lease, String json) {
        long bytes = utf8Length(json);
        if (bytes <= maxResultBytes) {
            return null;
        }
        return "result of " + lease.key() + " is " + bytes + " bytes, more than the " + maxResultBytes + " allowed ("
                + PostgresConfig.MAX_RESULT_BYTES_KEY + ")";
    }

    /** The length of {@code s} in UTF-8 (as {@code getBytes(UTF_8)} encodes it), without encoding it. */
    static long utf8Length(CharSequence s) {
        long bytes = 0;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++; // an unpaired surrogate is encoded as '?'
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** One written task's row of {@link #END_ALL}. */
    private record Row(String taskStatus, int attempts, int run, boolean jobCounted, int jobTotal, int jobCompleted,
            int jobFailed, int setCompleted, int setFailed, boolean batched, String statusBefore) {}

    /** A job's counters and state as its tasks of the set are counted one after the other, in set order. */
    private static final class Tally {
        int completed;
        int failed;
        int total;
        boolean known;
        String state;
    }

    /**
     * Ends the set in one transaction: its jobs locked in id order (when more than one: two workers
     * ending sets of the same jobs take them in one order), one statement for the tasks, the jobs and
     * the jobs' messages, and for batched jobs one for the batches and one for their messages.
     *
     * @param jsons the results to store, by index; null for failures and for results too large
     * @param tooLarge why the result at an index is too large (then it is that task's permanent failure), or null
     */
    private List<EndResult> end(List<Ending> endings, String[] jsons, String[] tooLarge, int maxAttempts, Instant now,
            String doing) {
        int size = endings.size();
        EndResult[] results = new EndResult[size];
        if (size == 0) {
            return List.of();
        }
        // a lease given twice is ended once: its repeats find it lost, as they would one by one
        List<Integer> written = new ArrayList<>(size);
        Set<UUID> seen = new HashSet<>();
        Set<UUID> jobs = new TreeSet<>();
        for (int i = 0; i < size; i++) {
            Lease lease = endings.get(i).lease();
            if (seen.add(lease.taskId())) {
                written.add(i);
                jobs.add(lease.key().jobId().value());
            } else {
                results[i] = new LeaseLost(lease.key());
            }
        }
        int n = written.size();
        UUID[] tasks = new UUID[n];
        Long[] tokens = new Long[n];
        String[] owners = new String[n];
        String[] results0 = new String[n];
        String[] errors = new String[n];
        Boolean[] permanent = new Boolean[n];
        String[] traceParents = new String[n];
        String[] traceStates = new String[n];
        for (int k = 0; k < n; k++) {
            int i = written.get(k);
            Ending ending = endings.get(i);
            tasks[k] = ending.lease().taskId();
            tokens[k] = ending.lease().token();
            owners[k] = ending.lease().owner();
            results0[k] = jsons[i];
            errors[k] = tooLarge[i] != null ? tooLarge[i] : ending.error();
            permanent[k] = tooLarge[i] != null || ending.permanent();
            traceParents[k] = ending.trace() == null ? null : ending.trace().traceparent();
            traceStates[k] = ending.trace() == null ? null : ending.trace().tracestate();
        }
        String sql = endAllSql();
        try {
            return jdbi.inTransaction(h -> {
                if (jobs.size() > 1) {
                    h.createQuery("SELECT job_id FROM root_job WHERE job_id = ANY(:jobs) ORDER BY job_id FOR UPDATE")
                            .bindArray("jobs", UUID.class, jobs.toArray())
                            .mapTo(UUID.class)
                            .list();
                }
                // bound as one jsonb[]: the server parses each result as jsonb once, with no cast per row
                Array resultArray = jsonbArray(h, results0);
                Row[] rows = new Row[size];
                h.createQuery(sql)
                        .bindArray("tasks", UUID.class, (Object[]) tasks)
                        .bindArray("tokens", Long.class, (Object[]) tokens)
                        .bindArray("owners", String.class, (Object[]) owners)
                        .bind("results", (Argument) (position, statement, ctx) -> statement.setArray(position, resultArray))
                        .bindArray("errors", String.class, (Object[]) errors)
                        .bindArray("permanent", Boolean.class, (Object[]) permanent)
                        .bindArray("traceParents", String.class, (Object[]) traceParents)
                        .bindArray("traceStates", String.class, (Object[]) traceStates)
                        .bind("maxAttempts", maxAttempts)
                        .bind("now", at(now))
                        .map((rs, ctx) -> {
                            int i = written.get(rs.getInt("n") - 1);
                            rows[i] = new Row(rs.getString("task_status"), rs.getInt("attempts"), rs.getInt("segrel_run"),
                                    rs.getBoolean("job_counted"), rs.getInt("total_segments"),
                                    rs.getInt("completed_segments"), rs.getInt("failed_segments"),
                                    rs.getInt("set_completed"), rs.getInt("set_failed"), rs.getBoolean("batched"),
                                    rs.getString("status_before"));
                            return i;
                        })
                        .list();
                List<PostgresBatches.CountedTask> inBatches = new ArrayList<>();
                Map<JobId, Integer> jobTotals = new HashMap<>();
                Map<JobId, Tally> tallies = new HashMap<>();
                for (int i = 0; i < size; i++) {
                    if (results[i] != null) {
                        continue;
                    }
                    TaskKey key = endings.get(i).lease().key();
                    Row row = rows[i];
                    if (row == null) {
                        results[i] = new LeaseLost(key);
                        continue;
                    }
                    Tally tally = tallies.computeIfAbsent(key.jobId(), id -> new Tally());
                    if (tally.state == null) {
                        tally.state = row.statusBefore();
                    }
                    boolean terminal = row.taskStatus().equals("COMPLETED") || row.taskStatus().equals("FAILED");
                    boolean finished = false;
                    if (terminal && row.jobCounted()) {
                        if (!tally.known) {
                            tally.known = true;
                            // the job before the set: its counters after, less the set's
                            tally.completed = row.jobCompleted() - row.setCompleted();
                            tally.failed = row.jobFailed() - row.setFailed();
                            tally.total = row.jobTotal();
                        }
                        boolean failed = row.taskStatus().equals("FAILED");
                        if (failed) {
                            tally.failed++;
                        } else {
                            tally.completed++;
                        }
                        int sum = tally.completed + tally.failed;
                        finished = sum == tally.total;
                        tally.state = sum >= tally.total ? (tally.failed > 0 ? "FAILED" : "COMPLETED") : "IN_PROGRESS";
                        if (row.batched()) {
                            inBatches.add(new PostgresBatches.CountedTask(key.jobId(), row.run(), key.segmentId(), failed,
                                    endings.get(i).trace()));
                            jobTotals.put(key.jobId(), row.jobTotal());
                        }
                    }
                    JobState state = tally.state == null ? null : JobState.valueOf(tally.state);
                    results[i] = switch (row.taskStatus()) {
                        case "COMPLETED" -> new Completed(key, finished, state);
                        case "RETRYING" -> new WillRetry(key, row.attempts());
                        default -> new FailedForGood(key, row.attempts(), finished, state, tooLarge[i]);
                    };
                }
                PostgresBatches.countInBatches(h, inBatches, jobTotals, now);
                return Arrays.asList(results);
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, doing);
        }
    }

    private static Array jsonbArray(Handle h, String[] jsons) {
        try {
            return h.getConnection().createArrayOf("jsonb", jsons);
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
    }

    /** The set's end statement, with the status columns' types filled in. */
    String endAllSql() {
        return END_ALL.replace("%JOB%", tables.jobStatusType()).replace("%TASK%", tables.taskStatusType());
    }
}
