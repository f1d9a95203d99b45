package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static dev.segrel.postgres.TaskTables.COMPLETED_DESTINATION;
import static dev.segrel.postgres.TaskTables.FENCE;
import static dev.segrel.postgres.TaskTables.completionBody;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.out.ResultTooLargeException;
import dev.segrel.core.port.out.TaskCompletions;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link TaskCompletions} on {@code segment_task}, {@code root_job} and {@code segrel_outbox}: complete
 * and fail are one statement (one round trip) each, fenced by the lease token. The job's counters are
 * updated in the same statement as the task, under the job row's lock, so the last task of a job is
 * recognised exactly once, and its completion message is inserted into the outbox by that same
 * statement.
 */
public final class PostgresTaskCompletions implements TaskCompletions {

    /** The job's counters move with the task; the last terminal task finishes the job and writes its message. */
    private static final String OUTBOX_INSERT = """
            sent AS (
                INSERT INTO segrel_outbox (message_id, destination, body, created_at, available_at)
                SELECT 'job-completed:' || job_id::text || CASE WHEN segrel_run = 0 THEN '' ELSE ':' || segrel_run END,
                       '%s', %s, :now, :now
                FROM job WHERE finished AND NOT segrel_batched
                ON CONFLICT (message_id) DO NOTHING)
            """.formatted(COMPLETED_DESTINATION, completionBody(""));

    private static final String JOB_RETURNING = """
            RETURNING j.job_id, j.manifestation_id, j.status::text AS status, j.total_segments,
                      j.completed_segments, j.failed_segments, j.segrel_run, j.segrel_batched,
                      (j.completed_segments + j.failed_segments = j.total_segments) AS finished""";

    /** The task's job, as the completion left it: counted (in the task's run) or not (a task of an earlier run). */
    private static final String RESULT_COLUMNS = """
            job.status IS NOT NULL AS counted,
            COALESCE(job.status, (SELECT j.status::text FROM root_job j WHERE j.job_id = %1$s.job_id)) AS status,
            COALESCE(job.finished, false) AS finished, job.segrel_run, COALESCE(job.segrel_batched, false) AS batched,
            job.total_segments""";

    private static final String COMPLETE = """
            WITH done AS (
                UPDATE segment_task
                SET status = 'COMPLETED', result_json = CAST(:result AS jsonb), error_message = NULL,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE %s
                RETURNING job_id, segrel_run),
            job AS (
                UPDATE root_job j
                SET completed_segments = j.completed_segments + 1,
                    status = CAST(CASE WHEN j.completed_segments + 1 + j.failed_segments >= j.total_segments
                                       THEN CASE WHEN j.failed_segments > 0 THEN 'FAILED' ELSE 'COMPLETED' END
                                       ELSE 'IN_PROGRESS' END AS %%JOB%%),
                    updated_at = :now
                FROM done WHERE j.job_id = done.job_id AND j.segrel_run = done.segrel_run
                %s),
            %s
            SELECT (SELECT count(*) FROM done) AS done, %s
            FROM (SELECT 1) one LEFT JOIN done ON true LEFT JOIN job ON true""".formatted(FENCE, JOB_RETURNING, OUTBOX_INSERT,
            RESULT_COLUMNS.formatted("done"));

    private static final String FAIL = """
            WITH f AS (
                UPDATE segment_task t
                SET status = CAST(CASE WHEN :permanent OR t.attempts >= :maxAttempts THEN 'FAILED' ELSE 'RETRYING' END
                                  AS %%TASK%%),
                    error_message = :error, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE %s
                RETURNING t.job_id, t.segrel_run, t.attempts, t.status::text AS status),
            job AS (
                UPDATE root_job j
                SET failed_segments = j.failed_segments + 1,
                    status = CAST(CASE WHEN j.completed_segments + j.failed_segments + 1 >= j.total_segments
                                       THEN 'FAILED' ELSE 'IN_PROGRESS' END AS %%JOB%%),
                    updated_at = :now
                FROM f WHERE j.job_id = f.job_id AND f.status = 'FAILED' AND j.segrel_run = f.segrel_run
                %s),
            %s
            SELECT f.attempts, f.status AS task_status, %s
            FROM (SELECT 1) one LEFT JOIN f ON true LEFT JOIN job ON true""".formatted(FENCE, JOB_RETURNING, OUTBOX_INSERT,
            RESULT_COLUMNS.formatted("f"));

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
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxResultBytes) {
            throw new ResultTooLargeException("result of " + lease.key() + " is " + bytes + " bytes, more than the "
                    + maxResultBytes + " allowed (" + PostgresConfig.MAX_RESULT_BYTES_KEY + ")");
        }
        String sql = completeSql();
        try {
            return jdbi.inTransaction(h -> {
                Written<CompleteResult> row = h.createQuery(sql)
                        .bind("result", json)
                        .bind("now", at(now))
                        .bind("task", lease.taskId())
                        .bind("token", lease.token())
                        .bind("owner", lease.owner())
                        .map((rs, ctx) -> rs.getLong("done") == 0
                                ? new Written<CompleteResult>(new LeaseLost(lease.key()), null)
                                : new Written<CompleteResult>(new Completed(lease.key(), rs.getBoolean("finished"),
                                        JobState.valueOf(rs.getString("status"))), counted(rs)))
                        .one();
                return row.countInBatches(h, lease, false, now);
            });
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
        String sql = failSql();
        try {
            return jdbi.inTransaction(h -> {
                Written<FailResult> row = h.createQuery(sql)
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
                                return new Written<FailResult>(new LeaseLost(lease.key()), null);
                            }
                            int attempts = rs.getInt("attempts");
                            if (taskStatus.equals("RETRYING")) {
                                return new Written<FailResult>(new WillRetry(lease.key(), attempts), null);
                            }
                            return new Written<FailResult>(new FailedForGood(lease.key(), attempts,
                                    rs.getBoolean("finished"), JobState.valueOf(rs.getString("status"))), counted(rs));
                        })
                        .one();
                return row.countInBatches(h, lease, true, now);
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "failing " + lease.key());
        }
    }

    /** A task counted in a batched job's run: its batches count it too. */
    private record Counted(int run, int jobTotal) {}

    /** What a complete or fail statement did, and the run its task was counted in when its job is batched. */
    private record Written<R>(R result, Counted counted) {

        /** In the statement's transaction: the batches of the counted task count it too. */
        R countInBatches(Handle h, Lease lease, boolean failed, Instant now) {
            if (counted != null) {
                PostgresBatches.countInBatches(h, lease.key().jobId(), counted.run(), lease.key().segmentId(), failed,
                        counted.jobTotal(), now);
            }
            return result;
        }
    }

    /** The run a task was counted in when its job is batched, else null. */
    private static Counted counted(ResultSet rs) throws SQLException {
        if (!rs.getBoolean("counted") || !rs.getBoolean("batched")) {
            return null;
        }
        return new Counted(rs.getInt("segrel_run"), rs.getInt("total_segments"));
    }

    /** The complete statement, with the job status column's type filled in. */
    String completeSql() {
        return COMPLETE.replace("%JOB%", tables.jobStatusType());
    }

    /** The fail statement, with the status columns' types filled in. */
    String failSql() {
        return FAIL.replace("%JOB%", tables.jobStatusType()).replace("%TASK%", tables.taskStatusType());
    }
}
