package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.ResultTooLargeException;
import dev.segrel.core.port.out.TaskStore;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link TaskStore} on the {@code root_job}, {@code segment_task} and {@code segrel_outbox} tables.
 *
 * <p>Claim, complete and fail are one statement (one round trip) each on the hot path; a claim that
 * does not succeed takes a second read to say why. Writes by a lease holder are fenced by
 * {@code lease_token}, which every claim increments. The job's counters are updated in the same
 * statement as the task, under the job row's lock, so the last task of a job is recognised exactly
 * once, and its completion message is inserted into the outbox by that same statement.
 *
 * <p>Status columns keep whatever type the existing service gave them (its enum types, or varchar):
 * the store reads them as text, compares them with literals, and casts computed values to the
 * column's own type, found once in the catalog.
 */
public final class PostgresTaskStore implements TaskStore {

    /** Destination of completion messages in the outbox. */
    public static final String COMPLETED_DESTINATION = "completed";

    static final String CLAIM = """
            UPDATE segment_task t
            SET status = 'IN_PROGRESS',
                lease_owner = :owner,
                lease_expires_at = :expires,
                lease_token = t.lease_token + 1,
                attempts = t.attempts + 1,
                span_start = COALESCE(t.span_start, CAST(:hintStart AS integer)),
                span_end = COALESCE(t.span_end, CAST(:hintEnd AS integer)),
                updated_at = :now
            FROM root_job j
            WHERE t.job_id = :job AND t.segment_id = :segment AND j.job_id = t.job_id
              AND (t.status IN ('QUEUED', 'RETRYING')
                   OR (t.status = 'IN_PROGRESS' AND (t.lease_expires_at IS NULL OR t.lease_expires_at <= :now)))
              AND (t.span_start IS NOT NULL OR CAST(:hintStart AS integer) IS NOT NULL)
            RETURNING t.task_id, t.lease_token, t.attempts, t.span_start, t.span_end, j.manifestation_id""";

    static final String INSPECT = """
            SELECT t.status::text AS status, t.lease_owner, t.lease_expires_at, t.attempts, t.error_message,
                   t.span_start, j.job_id IS NOT NULL AS has_job
            FROM segment_task t LEFT JOIN root_job j ON j.job_id = t.job_id
            WHERE t.job_id = :job AND t.segment_id = :segment""";

    private static final String FENCE = """
            task_id = :task AND lease_token = :token AND lease_owner = :owner AND status = 'IN_PROGRESS'""";

    /** The job's counters move with the task; the last terminal task finishes the job and writes its message. */
    private static final String OUTBOX_INSERT = """
            sent AS (
                INSERT INTO segrel_outbox (message_id, destination, body, created_at, available_at)
                SELECT 'job-completed:' || job_id::text, '%s', %s, :now, :now
                FROM job WHERE finished
                ON CONFLICT (message_id) DO NOTHING)
            """.formatted(COMPLETED_DESTINATION, completionBody(""));

    /**
     * The completion message, compact and in a fixed key order:
     * {@code {"job_id":…,"manifestation_id":…,"status":…,"total_segments":n,"completed_segments":n,"failed_segments":n}}.
     */
    private static String completionBody(String statusCast) {
        return """
                '{"job_id":"' || job_id::text || '","manifestation_id":' || to_json(manifestation_id::text)::text
                || ',"status":"' || status%s || '","total_segments":' || total_segments
                || ',"completed_segments":' || completed_segments || ',"failed_segments":' || failed_segments || '}'"""
                .formatted(statusCast);
    }

    private static final String JOB_RETURNING = """
            RETURNING j.job_id, j.manifestation_id, j.status::text AS status, j.total_segments,
                      j.completed_segments, j.failed_segments,
                      (j.completed_segments + j.failed_segments = j.total_segments) AS finished""";

    private static final String COMPLETE = """
            WITH done AS (
                UPDATE segment_task
                SET status = 'COMPLETED', result_json = CAST(:result AS jsonb), error_message = NULL,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE %s
                RETURNING job_id),
            job AS (
                UPDATE root_job j
                SET completed_segments = j.completed_segments + 1,
                    status = CAST(CASE WHEN j.completed_segments + 1 + j.failed_segments >= j.total_segments
                                       THEN CASE WHEN j.failed_segments > 0 THEN 'FAILED' ELSE 'COMPLETED' END
                                       ELSE 'IN_PROGRESS' END AS %%JOB%%),
                    updated_at = :now
                FROM done WHERE j.job_id = done.job_id
                %s),
            %s
            SELECT (SELECT count(*) FROM done) AS done, job.status, job.finished
            FROM (SELECT 1) one LEFT JOIN job ON true""".formatted(FENCE, JOB_RETURNING, OUTBOX_INSERT);

    private static final String FAIL = """
            WITH f AS (
                UPDATE segment_task t
                SET status = CAST(CASE WHEN :permanent OR t.attempts >= :maxAttempts THEN 'FAILED' ELSE 'RETRYING' END
                                  AS %%TASK%%),
                    error_message = :error, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE %s
                RETURNING t.job_id, t.attempts, t.status::text AS status),
            job AS (
                UPDATE root_job j
                SET failed_segments = j.failed_segments + 1,
                    status = CAST(CASE WHEN j.completed_segments + j.failed_segments + 1 >= j.total_segments
                                       THEN 'FAILED' ELSE 'IN_PROGRESS' END AS %%JOB%%),
                    updated_at = :now
                FROM f WHERE j.job_id = f.job_id AND f.status = 'FAILED'
                %s),
            %s
            SELECT f.attempts, f.status AS task_status, job.status, job.finished
            FROM (SELECT 1) one LEFT JOIN f ON true LEFT JOIN job ON true""".formatted(FENCE, JOB_RETURNING, OUTBOX_INSERT);

    static final String JOB_STATUS = """
            SELECT j.manifestation_id, j.status::text AS status, j.total_segments, j.completed_segments,
                   j.failed_segments, j.created_at::timestamptz AS created_at, j.updated_at::timestamptz AS updated_at,
                   c.queued, c.in_progress, c.retrying
            FROM root_job j
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE t.status = 'QUEUED') AS queued,
                       count(*) FILTER (WHERE t.status = 'IN_PROGRESS') AS in_progress,
                       count(*) FILTER (WHERE t.status = 'RETRYING') AS retrying
                FROM segment_task t WHERE t.job_id = j.job_id) c
            WHERE j.job_id = :job""";

    static final String RECLAIM = """
            UPDATE segment_task t
            SET status = 'RETRYING', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
            FROM root_job j
            WHERE t.task_id IN (
                    SELECT task_id FROM segment_task
                    WHERE status = 'IN_PROGRESS' AND (lease_expires_at IS NULL OR lease_expires_at <= :now)
                    ORDER BY lease_expires_at
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED)
              AND t.status = 'IN_PROGRESS' AND j.job_id = t.job_id
            RETURNING t.job_id, t.segment_id, j.manifestation_id, t.status::text AS status, t.span_start, t.span_end""";

    static final String STRANDED = """
            UPDATE segment_task t
            SET updated_at = :now
            FROM root_job j
            WHERE t.task_id IN (
                    SELECT task_id FROM segment_task
                    WHERE status IN ('QUEUED', 'RETRYING') AND updated_at <= :quietSince
                    ORDER BY updated_at
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED)
              AND t.status IN ('QUEUED', 'RETRYING') AND j.job_id = t.job_id
            RETURNING t.job_id, t.segment_id, j.manifestation_id, t.status::text AS status, t.span_start, t.span_end""";

    private static final String RESET = """
            WITH old AS (
                SELECT task_id, status::text AS old_status FROM segment_task
                WHERE job_id = :job AND %s
                ORDER BY task_id
                FOR UPDATE)
            UPDATE segment_task t
            SET status = 'QUEUED', attempts = 0, result_json = NULL, error_message = NULL,
                lease_owner = NULL, lease_expires_at = NULL, lease_token = t.lease_token + 1, updated_at = :now
            FROM old WHERE t.task_id = old.task_id
            RETURNING t.segment_id, old.old_status, t.span_start, t.span_end""";

    private final Jdbi jdbi;
    private final int maxResultBytes;
    private volatile String completeSql;
    private volatile String failSql;
    private volatile String jobTypeName;

    public PostgresTaskStore(Jdbi jdbi, int maxResultBytes) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be >= 1, was " + maxResultBytes);
        }
        this.maxResultBytes = maxResultBytes;
    }

    // ------------------------------------------------------------------------------ claim

    @Override
    public ClaimResult claim(TaskKey key, Span spanHint, String owner, Instant now, Duration leaseFor) {
        requireNonNull(key, "key is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(now, "now is null");
        requireNonNull(leaseFor, "leaseFor is null");
        if (leaseFor.isNegative() || leaseFor.isZero()) {
            throw new IllegalArgumentException("leaseFor must be positive, was " + leaseFor);
        }
        Instant expires = now.plus(leaseFor);
        try {
            return jdbi.withHandle(h -> {
                // A task that turns claimable between the update and the read is claimed on the next turn.
                for (int turn = 0; turn < 3; turn++) {
                    Optional<ClaimedTask> claimed = h.createQuery(CLAIM)
                            .bind("owner", owner)
                            .bind("expires", at(expires))
                            .bind("hintStart", spanHint == null ? null : spanHint.start())
                            .bind("hintEnd", spanHint == null ? null : spanHint.end())
                            .bind("now", at(now))
                            .bind("job", key.jobId().value())
                            .bind("segment", key.segmentId())
                            .map((rs, ctx) -> new ClaimedTask(
                                    new Lease(rs.getObject("task_id", UUID.class), key, owner, rs.getLong("lease_token"), expires),
                                    rs.getString("manifestation_id"),
                                    new Span(rs.getInt("span_start"), rs.getInt("span_end")),
                                    rs.getInt("attempts")))
                            .findOne();
                    if (claimed.isPresent()) {
                        return new Claimed(claimed.get());
                    }
                    Optional<ClaimResult> refusal = whyNot(h, key, spanHint, now);
                    if (refusal.isPresent()) {
                        return refusal.get();
                    }
                }
                return new HeldByOther(key, "unknown", now);
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "claiming task " + key);
        }
    }

    private static Optional<ClaimResult> whyNot(Handle h, TaskKey key, Span spanHint, Instant now) {
        return h.createQuery(INSPECT)
                .bind("job", key.jobId().value())
                .bind("segment", key.segmentId())
                .map((rs, ctx) -> {
                    if (!rs.getBoolean("has_job")) {
                        return Optional.<ClaimResult>of(new UnknownTask(key));
                    }
                    String status = rs.getString("status");
                    OffsetDateTime until = rs.getObject("lease_expires_at", OffsetDateTime.class);
                    boolean noSpan = rs.getObject("span_start") == null && spanHint == null;
                    return switch (TaskState.valueOf(status)) {
                        case COMPLETED -> Optional.<ClaimResult>of(new AlreadyCompleted(key));
                        case FAILED -> Optional.<ClaimResult>of(
                                new Exhausted(key, rs.getInt("attempts"), rs.getString("error_message")));
                        case IN_PROGRESS -> until != null && until.toInstant().isAfter(now)
                                ? Optional.<ClaimResult>of(new HeldByOther(key, rs.getString("lease_owner"), until.toInstant()))
                                : noSpan ? Optional.<ClaimResult>of(new NoSpan(key)) : Optional.<ClaimResult>empty();
                        case QUEUED, RETRYING -> noSpan ? Optional.<ClaimResult>of(new NoSpan(key)) : Optional.<ClaimResult>empty();
                    };
                })
                .findOne()
                .orElseGet(() -> Optional.of(new UnknownTask(key)));
    }

    @Override
    public boolean extend(Lease lease, Instant newExpiry) {
        requireNonNull(newExpiry, "newExpiry is null");
        return fencedUpdate("UPDATE segment_task SET lease_expires_at = :expires WHERE " + FENCE, lease, newExpiry,
                "extending the lease on " + lease.key());
    }

    @Override
    public boolean release(Lease lease, Instant now) {
        return fencedUpdate("""
                UPDATE segment_task
                SET status = 'QUEUED', attempts = GREATEST(attempts - 1, 0), lease_owner = NULL,
                    lease_expires_at = NULL, updated_at = :expires
                WHERE""" + " " + FENCE, lease, now, "releasing " + lease.key());
    }

    private boolean fencedUpdate(String sql, Lease lease, Instant time, String doing) {
        requireNonNull(lease, "lease is null");
        requireNonNull(time, "time is null");
        try {
            return jdbi.withHandle(h -> h.createUpdate(sql)
                    .bind("expires", at(time))
                    .bind("task", lease.taskId())
                    .bind("token", lease.token())
                    .bind("owner", lease.owner())
                    .execute()) == 1;
        } catch (JdbiException e) {
            throw Failures.translate(e, doing);
        }
    }

    // -------------------------------------------------------------------- complete and fail

    @Override
    public CompleteResult complete(Lease lease, List<Mapping> result, Instant now) {
        requireNonNull(lease, "lease is null");
        requireNonNull(result, "result is null");
        requireNonNull(now, "now is null");
        String json = ResultJson.write(result);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxResultBytes) {
            throw new ResultTooLargeException("result of " + lease.key() + " is " + bytes + " bytes, more than the "
                    + maxResultBytes + " allowed (" + PostgresConfig.MAX_RESULT_BYTES_KEY + ")");
        }
        String sql = statements()[0];
        try {
            return jdbi.withHandle(h -> h.createQuery(sql)
                    .bind("result", json)
                    .bind("now", at(now))
                    .bind("task", lease.taskId())
                    .bind("token", lease.token())
                    .bind("owner", lease.owner())
                    .map((rs, ctx) -> rs.getLong("done") == 0
                            ? (CompleteResult) new LeaseLost(lease.key())
                            : new Completed(lease.key(), rs.getBoolean("finished"), JobState.valueOf(rs.getString("status"))))
                    .one());
        } catch (JdbiException e) {
            throw Failures.translate(e, "completing " + lease.key());
        }
    }

    @Override
    public FailResult fail(Lease lease, String error, boolean permanent, int maxAttempts, Instant now) {
        requireNonNull(lease, "lease is null");
        requireNonNull(now, "now is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        String sql = statements()[1];
        try {
            return jdbi.withHandle(h -> h.createQuery(sql)
                    .bind("permanent", permanent)
                    .bind("maxAttempts", maxAttempts)
                    .bind("error", error == null ? "unknown error" : error)
                    .bind("now", at(now))
                    .bind("task", lease.taskId())
                    .bind("token", lease.token())
                    .bind("owner", lease.owner())
                    .map((rs, ctx) -> {
                        String taskStatus = rs.getString("task_status");
                        if (taskStatus == null) {
                            return (FailResult) new FailLeaseLost(lease.key());
                        }
                        int attempts = rs.getInt("attempts");
                        if (taskStatus.equals("RETRYING")) {
                            return new WillRetry(lease.key(), attempts);
                        }
                        return new FailedForGood(
                                lease.key(), attempts, rs.getBoolean("finished"), JobState.valueOf(rs.getString("status")));
                    })
                    .one());
        } catch (JdbiException e) {
            throw Failures.translate(e, "failing " + lease.key());
        }
    }

    String completeSql() {
        return statements()[0];
    }

    String failSql() {
        return statements()[1];
    }

    /** The complete and fail statements with the status columns' types filled in (found once). */
    private String[] statements() {
        String complete = completeSql;
        String fail = failSql;
        if (complete == null || fail == null) {
            try {
                String[] types = jdbi.withHandle(h -> new String[] {columnType(h, "root_job"), columnType(h, "segment_task")});
                jobTypeName = types[0];
                fail = FAIL.replace("%JOB%", types[0]).replace("%TASK%", types[1]);
                complete = COMPLETE.replace("%JOB%", types[0]);
                failSql = fail;
                completeSql = complete;
            } catch (JdbiException e) {
                throw Failures.translate(e, "reading the schema");
            }
        }
        return new String[] {complete, fail};
    }

    private static String columnType(Handle h, String table) {
        return h.createQuery("""
                        SELECT format_type(atttypid, NULL) FROM pg_attribute
                        WHERE attrelid = to_regclass(:table) AND attname = 'status' AND NOT attisdropped""")
                .bind("table", table)
                .mapTo(String.class)
                .findOne()
                .orElseThrow(() -> new IllegalStateException(
                        "table " + table + " is missing or has no status column; run `segrel migrate`"));
    }

    // ------------------------------------------------------------------------------ jobs

    @Override
    public CreateJobResult createJob(NewJob job, Instant now) {
        requireNonNull(job, "job is null");
        requireNonNull(now, "now is null");
        Set<String> seen = new HashSet<>();
        List<String> segments = new ArrayList<>(job.tasks().size());
        List<Integer> starts = new ArrayList<>(job.tasks().size());
        List<Integer> ends = new ArrayList<>(job.tasks().size());
        for (NewTask task : job.tasks()) {
            if (!seen.add(task.segmentId())) {
                throw new IllegalArgumentException("job " + job.jobId() + " lists segment " + task.segmentId() + " twice");
            }
            segments.add(task.segmentId());
            starts.add(task.span() == null ? null : task.span().start());
            ends.add(task.span() == null ? null : task.span().end());
        }
        boolean empty = job.tasks().isEmpty();
        try {
            return jdbi.inTransaction(h -> {
                int inserted = h.createUpdate("""
                                INSERT INTO root_job (job_id, manifestation_id, total_segments, completed_segments,
                                                      failed_segments, status, created_at, updated_at)
                                VALUES (:job, :manifestation, :total, 0, 0, %s, :now, :now)
                                ON CONFLICT (job_id) DO NOTHING""".formatted(empty ? "'COMPLETED'" : "'QUEUED'"))
                        .bind("job", job.jobId().value())
                        .bind("manifestation", job.manifestationId())
                        .bind("total", job.tasks().size())
                        .bind("now", at(now))
                        .execute();
                if (inserted == 0) {
                    int tasks = h.createQuery("SELECT count(*) FROM segment_task WHERE job_id = :job")
                            .bind("job", job.jobId().value())
                            .mapTo(Integer.class)
                            .one();
                    return new JobAlreadyExists(job.jobId(), tasks);
                }
                if (empty) {
                    h.createUpdate("""
                                    INSERT INTO segrel_outbox (message_id, destination, body, created_at, available_at)
                                    SELECT 'job-completed:' || job_id::text, :destination, %s, :now, :now
                                    FROM root_job WHERE job_id = :job
                                    ON CONFLICT (message_id) DO NOTHING""".formatted(completionBody("::text")))
                            .bind("destination", COMPLETED_DESTINATION)
                            .bind("job", job.jobId().value())
                            .bind("now", at(now))
                            .execute();
                } else {
                    h.createUpdate("""
                                    INSERT INTO segment_task (task_id, job_id, segment_id, status, span_start, span_end,
                                                              attempts, lease_token, created_at, updated_at)
                                    SELECT gen_random_uuid(), :job, s.segment_id, 'QUEUED', s.span_start, s.span_end,
                                           0, 0, :now, :now
                                    FROM unnest(:segments, :starts, :ends) AS s(segment_id, span_start, span_end)""")
                            .bind("job", job.jobId().value())
                            .bindArray("segments", String.class, segments)
                            .bindArray("starts", Integer.class, starts)
                            .bindArray("ends", Integer.class, ends)
                            .bind("now", at(now))
                            .execute();
                }
                return new JobCreated(job.jobId(), job.tasks().size());
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "creating job " + job.jobId());
        }
    }

    @Override
    public Optional<JobStatus> jobStatus(JobId jobId) {
        requireNonNull(jobId, "jobId is null");
        try {
            return jdbi.withHandle(h -> h.createQuery(JOB_STATUS)
                    .bind("job", jobId.value())
                    .map((rs, ctx) -> jobStatus(rs, jobId))
                    .findOne());
        } catch (JdbiException e) {
            throw Failures.translate(e, "reading job " + jobId);
        }
    }

    private static JobStatus jobStatus(ResultSet rs, JobId jobId) throws SQLException {
        return new JobStatus(
                jobId,
                rs.getString("manifestation_id"),
                JobState.valueOf(rs.getString("status")),
                rs.getInt("total_segments"),
                rs.getInt("completed_segments"),
                rs.getInt("failed_segments"),
                rs.getInt("queued"),
                rs.getInt("in_progress"),
                rs.getInt("retrying"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    @Override
    public Optional<JobResults> jobResults(JobId jobId) {
        requireNonNull(jobId, "jobId is null");
        try {
            return jdbi.withHandle(h -> {
                Optional<String[]> job = h.createQuery("SELECT manifestation_id, status::text FROM root_job WHERE job_id = :job")
                        .bind("job", jobId.value())
                        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                        .findOne();
                if (job.isEmpty()) {
                    return Optional.<JobResults>empty();
                }
                List<SegmentResult> segments = h.createQuery("""
                                SELECT segment_id, status::text AS status, result_json::text AS result, error_message
                                FROM segment_task WHERE job_id = :job ORDER BY segment_id""")
                        .bind("job", jobId.value())
                        .map((rs, ctx) -> new SegmentResult(
                                rs.getString("segment_id"),
                                TaskState.valueOf(rs.getString("status")),
                                ResultJson.read(rs.getString("result")),
                                rs.getString("error_message")))
                        .list();
                return Optional.of(new JobResults(jobId, job.get()[0], JobState.valueOf(job.get()[1]), segments));
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "reading the results of job " + jobId);
        }
    }

    // ------------------------------------------------------------------ operators: reading

    private static final String TASK_DETAIL = """
            SELECT t.segment_id, t.status::text AS status, t.span_start, t.span_end, t.attempts,
                   t.result_json::text AS result, t.error_message
            FROM segment_task t WHERE t.job_id = :job""";

    private static final String ONE_TASK = """
            SELECT j.manifestation_id, t.segment_id, t.status::text AS status, t.span_start, t.span_end, t.attempts,
                   t.result_json::text AS result, t.error_message
            FROM segment_task t JOIN root_job j ON j.job_id = t.job_id
            WHERE t.job_id = :job AND t.segment_id = :segment""";

    /** Rows per fetch of {@link #forEachTask}'s cursor: memory stays bounded whatever the job's size. */
    static final int STREAM_FETCH_SIZE = 500;

    @Override
    public Optional<TaskDetail> task(TaskKey key) {
        requireNonNull(key, "key is null");
        try {
            return jdbi.withHandle(h -> h.createQuery(ONE_TASK)
                    .bind("job", key.jobId().value())
                    .bind("segment", key.segmentId())
                    .map((rs, ctx) -> detail(rs, key.jobId(), rs.getString("manifestation_id")))
                    .findOne());
        } catch (JdbiException e) {
            throw Failures.translate(e, "reading task " + key);
        }
    }

    @Override
    public boolean forEachTask(JobId jobId, Consumer<TaskDetail> sink) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(sink, "sink is null");
        try {
            // PostgreSQL's JDBC driver uses a cursor (fetch size honoured) only inside a transaction
            return jdbi.inTransaction(h -> {
                Optional<String> manifestation = h.createQuery("SELECT manifestation_id FROM root_job WHERE job_id = :job")
                        .bind("job", jobId.value())
                        .mapTo(String.class)
                        .findOne();
                if (manifestation.isEmpty()) {
                    return false;
                }
                h.createQuery(TASK_DETAIL + " ORDER BY t.segment_id")
                        .bind("job", jobId.value())
                        .setFetchSize(STREAM_FETCH_SIZE)
                        .map((rs, ctx) -> detail(rs, jobId, manifestation.get()))
                        .forEach(sink);
                return true;
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "reading the tasks of job " + jobId);
        }
    }

    private static TaskDetail detail(ResultSet rs, JobId jobId, String manifestationId) throws SQLException {
        return new TaskDetail(
                new TaskKey(jobId, rs.getString("segment_id")),
                manifestationId,
                TaskState.valueOf(rs.getString("status")),
                span(rs),
                rs.getInt("attempts"),
                ResultJson.read(rs.getString("result")),
                rs.getString("error_message"));
    }

    @Override
    public List<JobStatus> listJobs(JobQuery query) {
        requireNonNull(query, "query is null");
        StringBuilder where = new StringBuilder("WHERE true");
        if (query.state() != null) {
            where.append(" AND j.status::text = :state");
        }
        if (query.manifestationId() != null) {
            where.append(" AND j.manifestation_id = :manifestation");
        }
        String sql = JOB_STATUS.replace("WHERE j.job_id = :job", where.toString())
                .replace("SELECT j.manifestation_id", "SELECT j.job_id, j.manifestation_id")
                + " ORDER BY j.created_at DESC, j.job_id::text LIMIT :limit";
        try {
            return jdbi.withHandle(h -> {
                var q = h.createQuery(sql).bind("limit", query.limit());
                if (query.state() != null) {
                    q.bind("state", query.state().name());
                }
                if (query.manifestationId() != null) {
                    q.bind("manifestation", query.manifestationId());
                }
                return q.map((rs, ctx) -> jobStatus(rs, new JobId(rs.getObject("job_id", UUID.class)))).list();
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "listing jobs");
        }
    }

    // ------------------------------------------------------------------ recovery and operators

    @Override
    public List<PendingTask> reclaimExpired(Instant now, int limit) {
        requireNonNull(now, "now is null");
        checkLimit(limit);
        try {
            return jdbi.withHandle(h -> h.createQuery(RECLAIM)
                    .bind("now", at(now))
                    .bind("limit", limit)
                    .map((rs, ctx) -> pending(rs))
                    .list());
        } catch (JdbiException e) {
            throw Failures.translate(e, "reclaiming expired leases");
        }
    }

    @Override
    public List<PendingTask> takeStranded(Instant quietSince, int limit, Instant now) {
        requireNonNull(quietSince, "quietSince is null");
        requireNonNull(now, "now is null");
        checkLimit(limit);
        try {
            return jdbi.withHandle(h -> h.createQuery(STRANDED)
                    .bind("quietSince", at(quietSince))
                    .bind("now", at(now))
                    .bind("limit", limit)
                    .map((rs, ctx) -> pending(rs))
                    .list());
        } catch (JdbiException e) {
            throw Failures.translate(e, "finding stranded tasks");
        }
    }

    @Override
    public ReprocessResult reprocessTask(TaskKey key, Instant now) {
        requireNonNull(key, "key is null");
        return reprocess(key.jobId(), "segment_id = :segment", key.segmentId(), now);
    }

    @Override
    public ReprocessResult reprocessJob(JobId jobId, boolean onlyFailed, Instant now) {
        requireNonNull(jobId, "jobId is null");
        return reprocess(jobId, onlyFailed ? "status = 'FAILED'" : "true", null, now);
    }

    private ReprocessResult reprocess(JobId jobId, String filter, String segmentId, Instant now) {
        requireNonNull(now, "now is null");
        statements();
        String jobType = jobTypeName;
        try {
            return jdbi.inTransaction(h -> {
                // Task rows first, then the job row: the order complete() and fail() lock them in.
                var reset = h.createQuery(RESET.formatted(filter)).bind("job", jobId.value()).bind("now", at(now));
                if (segmentId != null) {
                    reset.bind("segment", segmentId);
                }
                List<Object[]> rows = reset.map((rs, ctx) -> new Object[] {
                            rs.getString("segment_id"), rs.getString("old_status"), span(rs)})
                        .list();
                Optional<String> manifestation = h.createQuery("SELECT manifestation_id FROM root_job WHERE job_id = :job")
                        .bind("job", jobId.value())
                        .mapTo(String.class)
                        .findOne();
                if (manifestation.isEmpty()) {
                    return new NothingToReprocess(jobId, true);
                }
                if (rows.isEmpty()) {
                    return new NothingToReprocess(jobId, segmentId != null);
                }
                int completed = 0;
                int failed = 0;
                List<PendingTask> tasks = new ArrayList<>(rows.size());
                for (Object[] row : rows) {
                    completed += "COMPLETED".equals(row[1]) ? 1 : 0;
                    failed += "FAILED".equals(row[1]) ? 1 : 0;
                    tasks.add(new PendingTask(
                            new TaskKey(jobId, (String) row[0]), manifestation.get(), TaskState.QUEUED, (Span) row[2]));
                }
                h.createUpdate("""
                                UPDATE root_job
                                SET completed_segments = GREATEST(completed_segments - :completed, 0),
                                    failed_segments = GREATEST(failed_segments - :failed, 0),
                                    status = CAST(CASE WHEN completed_segments - :completed + failed_segments - :failed > 0
                                                       THEN 'IN_PROGRESS' ELSE 'QUEUED' END AS %s),
                                    updated_at = :now
                                WHERE job_id = :job""".formatted(jobType))
                        .bind("completed", completed)
                        .bind("failed", failed)
                        .bind("now", at(now))
                        .bind("job", jobId.value())
                        .execute();
                // The job will complete again and announce it again.
                h.createUpdate("DELETE FROM segrel_outbox WHERE message_id = 'job-completed:' || :job")
                        .bind("job", jobId.toString())
                        .execute();
                tasks.sort((a, b) -> a.key().segmentId().compareTo(b.key().segmentId()));
                return new Reprocessed(jobId, tasks);
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "reprocessing job " + jobId);
        }
    }

    private static PendingTask pending(ResultSet rs) throws SQLException {
        return new PendingTask(
                new TaskKey(new JobId(rs.getObject("job_id", UUID.class)), rs.getString("segment_id")),
                rs.getString("manifestation_id"),
                TaskState.valueOf(rs.getString("status")),
                span(rs));
    }

    private static Span span(ResultSet rs) throws SQLException {
        int start = rs.getInt("span_start");
        return rs.wasNull() ? null : new Span(start, rs.getInt("span_end"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
    }
}
