package dev.segrel.postgres;

import static dev.segrel.postgres.TaskTables.COMPLETED_DESTINATION;
import static dev.segrel.postgres.TaskTables.completionBody;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Jobs the deployed workers left unfinished although every task of theirs ended: all
 * {@code total_segments} task rows of the job's run are COMPLETED or FAILED, yet the job is not. Each is
 * finished as a worker's last task finishes it: status COMPLETED (FAILED when a task failed), exact counts,
 * and its completion message written to the outbox in the same statement, with the id and body a worker's
 * ({@code job-completed:<job>}, {@link TaskTables#completionBody}). Batched jobs are left to their batches.
 * Runs on the store's views after the migrations; a job already finished is not selected again, so running
 * it twice writes nothing the second time, and a worker finishing the job at the same moment wins (the
 * update re-checks the status under the row's lock).
 */
final class FinishedLegacyJobs {

    private FinishedLegacyJobs() {}

    /** Finishes them; returns how many jobs were finished. */
    static long finish(Connection connection) throws SQLException {
        String type;
        try (PreparedStatement s = connection.prepareStatement("SELECT format_type(atttypid, NULL) FROM pg_attribute"
                        + " WHERE attrelid = to_regclass('root_job') AND attname = 'status' AND NOT attisdropped");
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return 0;
            }
            type = rs.getString(1);
        }
        String sql = """
                WITH fin AS (
                    SELECT j.job_id, c.completed, c.failed
                    FROM root_job j
                    CROSS JOIN LATERAL (
                        SELECT count(*) AS n, count(*) FILTER (WHERE t.status = 'COMPLETED') AS completed,
                               count(*) FILTER (WHERE t.status = 'FAILED') AS failed
                        FROM segment_task t WHERE t.job_id = j.job_id AND t.segrel_run = j.segrel_run) c
                    WHERE j.status NOT IN ('COMPLETED', 'FAILED') AND NOT j.segrel_batched
                      AND j.total_segments > 0 AND c.n = j.total_segments AND c.completed + c.failed = c.n),
                job AS (
                    UPDATE root_job j
                    SET status = CAST(CASE WHEN fin.failed > 0 THEN 'FAILED' ELSE 'COMPLETED' END AS %1$s),
                        completed_segments = fin.completed, failed_segments = fin.failed, updated_at = now()
                    FROM fin
                    WHERE j.job_id = fin.job_id AND j.status NOT IN ('COMPLETED', 'FAILED')
                    RETURNING j.job_id, j.manifestation_id, j.status, j.total_segments, j.completed_segments,
                              j.failed_segments, j.segrel_run),
                sent AS (
                    INSERT INTO segrel_outbox (message_id, destination, body, created_at, available_at)
                    SELECT %4$s, '%2$s', %3$s, now(), now()
                    FROM job
                    ON CONFLICT (message_id) DO NOTHING)
                SELECT count(*) FROM job""".formatted(requireNonNull(type), COMPLETED_DESTINATION, completionBody("::text"),
                        AnnouncementIds.jobBase("job_id", "segrel_run"));
        try (PreparedStatement s = connection.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
