package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static dev.segrel.postgres.TaskTables.checkLimit;
import static dev.segrel.postgres.TaskTables.pending;
import static dev.segrel.postgres.TaskTables.span;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.TaskRecovery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link TaskRecovery} on {@code segment_task} and {@code root_job}: sweeps take their tasks with
 * {@code FOR UPDATE SKIP LOCKED}, so concurrent sweepers never take one task twice, picked once in a
 * CTE (an {@code IN (... LIMIT)} subquery may be re-run per row through a deployed layout's view,
 * and then takes more than its limit); reprocessing
 * locks task rows, then the job row, the order completions lock them in.
 */
public final class PostgresTaskRecovery implements TaskRecovery {

    /** A reprocessed job's announcements not sent yet (its first's id and every later one's). */
    static final String DROP_UNSENT_ANNOUNCEMENTS = """
            DELETE FROM segrel_outbox
            WHERE %s
              AND sent_at IS NULL""".formatted(AnnouncementIds.firstOrLater("message_id", "'job-completed:' || :job", ":"));

    static final String RECLAIM = """
            WITH picked AS (
                SELECT task_id FROM segment_task
                WHERE status = 'IN_PROGRESS' AND (lease_expires_at IS NULL OR lease_expires_at <= :now)
                ORDER BY lease_expires_at
                LIMIT :limit
                FOR UPDATE SKIP LOCKED)
            UPDATE segment_task t
            SET status = 'RETRYING', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
            FROM root_job j, picked p
            WHERE t.task_id = p.task_id
              AND t.status = 'IN_PROGRESS' AND j.job_id = t.job_id
            RETURNING t.job_id, t.segment_id, j.manifestation_id, t.status::text AS status, t.span_start, t.span_end,
                      %s""".formatted(TaskTables.ENVIRONMENT_OF_TASK);

    static final String STRANDED = """
            WITH picked AS (
                SELECT task_id FROM segment_task
                WHERE status IN ('QUEUED', 'RETRYING') AND updated_at <= :quietSince
                ORDER BY updated_at
                LIMIT :limit
                FOR UPDATE SKIP LOCKED)
            UPDATE segment_task t
            SET updated_at = :now
            FROM root_job j, picked p
            WHERE t.task_id = p.task_id
              AND t.status IN ('QUEUED', 'RETRYING') AND j.job_id = t.job_id
            RETURNING t.job_id, t.segment_id, j.manifestation_id, t.status::text AS status, t.span_start, t.span_end,
                      %s""".formatted(TaskTables.ENVIRONMENT_OF_TASK);

    /** Served by the partial indexes of waiting and of held tasks, as {@link #STRANDED} and {@link #RECLAIM} are. */
    static final String COUNT_EXPECTING_MESSAGE = """
            SELECT (SELECT count(*) FROM segment_task
                    WHERE status IN ('QUEUED', 'RETRYING') AND updated_at <= :untouchedSince)
                 + (SELECT count(*) FROM segment_task
                    WHERE status = 'IN_PROGRESS' AND updated_at <= :untouchedSince)""";

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

    private final TaskTables tables;
    private final Jdbi jdbi;

    PostgresTaskRecovery(TaskTables tables) {
        this.tables = requireNonNull(tables, "tables is null");
        this.jdbi = tables.jdbi();
    }

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
    public long countExpectingMessage(Instant untouchedSince) {
        requireNonNull(untouchedSince, "untouchedSince is null");
        try {
            return jdbi.withHandle(h -> h.createQuery(COUNT_EXPECTING_MESSAGE)
                    .bind("untouchedSince", at(untouchedSince))
                    .mapTo(Long.class)
                    .one());
        } catch (JdbiException e) {
            throw Failures.translate(e, "counting the tasks that expect a message");
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
        String jobType = tables.jobStatusType();
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
                    return new UnknownJobOrTask(jobId);
                }
                if (rows.isEmpty()) {
                    return segmentId != null ? new UnknownJobOrTask(jobId) : new NoTaskMatched(jobId);
                }
                int completed = 0;
                int failed = 0;
                List<PendingTask> tasks = new ArrayList<>(rows.size());
                List<String> ended = new ArrayList<>();
                List<Boolean> endedFailed = new ArrayList<>();
                for (Object[] row : rows) {
                    completed += "COMPLETED".equals(row[1]) ? 1 : 0;
                    failed += "FAILED".equals(row[1]) ? 1 : 0;
                    if ("COMPLETED".equals(row[1]) || "FAILED".equals(row[1])) {
                        ended.add((String) row[0]);
                        endedFailed.add("FAILED".equals(row[1]));
                    }
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
                // The job will complete again and announce it again, under a new id: an announcement not sent yet
                // is dropped (the new one supersedes it), a sent one is kept (it names the ids already used).
                h.createUpdate(DROP_UNSENT_ANNOUNCEMENTS)
                        .bind("job", jobId.toString())
                        .execute();
                PostgresBatches.reopen(h, jobId, ended, endedFailed);
                tasks.sort((a, b) -> a.key().segmentId().compareTo(b.key().segmentId()));
                return new Reprocessed(jobId, tasks);
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "reprocessing job " + jobId);
        }
    }
}
