package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.out.TaskRecovery.PendingTask;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * What the store's classes share about the {@code root_job} and {@code segment_task} tables: the
 * Jdbi to reach them, the SQL fragments more than one statement uses, the row mappers, and the
 * types of their status columns.
 *
 * <p>Status columns keep whatever type the existing service gave them (its enum types, or varchar):
 * the store reads them as text, compares them with literals, and casts computed values to the
 * column's own type, found once in the catalog. Thread-safe.
 */
final class TaskTables {

    /** Destination of completion messages in the outbox. */
    static final String COMPLETED_DESTINATION = "completed";

    /** A write by a lease holder: only while its lease (owner and token) is the task's current one. */
    static final String FENCE = """
            task_id = :task AND lease_token = :token AND lease_owner = :owner AND status = 'IN_PROGRESS'""";

    /**
     * {@link #FENCE} per row of a set: task {@code t} is still held by the lease of row {@code l}
     * (columns {@code task_id}, {@code token}, {@code owner}).
     */
    static String fenceEach(String t, String l) {
        return ("%1$s.task_id = %2$s.task_id AND %1$s.lease_token = %2$s.token AND %1$s.lease_owner = %2$s.owner"
                + " AND %1$s.status = 'IN_PROGRESS'").formatted(t, l);
    }

    /**
     * A CTE {@code locked} that locks the tasks of the leases in CTE {@code l} still held, in
     * {@code (job_id, segment_id)} order: every set write to tasks takes its row locks in that one order
     * (the set claim inserts in it), so two of them never wait on each other in a cycle. The write then
     * touches only {@code task_id IN (SELECT task_id FROM locked)}.
     */
    static final String LOCKED = """
            locked AS MATERIALIZED (
                SELECT x.task_id FROM segment_task x JOIN l ON %s
                ORDER BY x.job_id, x.segment_id
                FOR UPDATE OF x)""".formatted(fenceEach("x", "l"));

    /** Leases as a CTE {@code l}, from the array parameters {@code :tasks}, {@code :tokens} and {@code :owners}. */
    static final String LEASES = """
            l AS (SELECT * FROM unnest(CAST(:tasks AS uuid[]), CAST(:tokens AS bigint[]), CAST(:owners AS text[]))
                  WITH ORDINALITY AS l(task_id, token, owner, n))""";

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

    /** The source environment of the latest batch holding task {@code t} of job {@code j}, as {@code environment}. */
    static final String ENVIRONMENT_OF_TASK = """
            (SELECT b.source_environment FROM segrel_batch b
             WHERE b.job_id = t.job_id AND t.segment_id = ANY(b.segment_ids)
             ORDER BY b.run DESC, b.created_at DESC LIMIT 1) AS environment""";

    private final Jdbi jdbi;
    private volatile String[] statusTypes;

    TaskTables(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /**
     * The completion message, compact and in a fixed key order:
     * {@code {"job_id":…,"manifestation_id":…,"status":…,"total_segments":n,"completed_segments":n,"failed_segments":n}},
     * from a row with those columns.
     */
    static String completionBody(String statusCast) {
        return """
                '{"job_id":"' || job_id::text || '","manifestation_id":' || to_json(manifestation_id::text)::text
                || ',"status":"' || status%s || '","total_segments":' || total_segments
                || ',"completed_segments":' || completed_segments || ',"failed_segments":' || failed_segments || '}'"""
                .formatted(statusCast);
    }

    /** The type of {@code root_job.status}, as a cast target. */
    String jobStatusType() {
        return types()[0];
    }

    /** The type of {@code segment_task.status}, as a cast target. */
    String taskStatusType() {
        return types()[1];
    }

    private String[] types() {
        String[] types = statusTypes;
        if (types == null) {
            try {
                types = jdbi.withHandle(h -> new String[] {columnType(h, "root_job"), columnType(h, "segment_task")});
            } catch (JdbiException e) {
                throw Failures.translate(e, "reading the schema");
            }
            statusTypes = types;
        }
        return types;
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

    // ------------------------------------------------------------------------- row mappers

    static JobStatus jobStatus(ResultSet rs, JobId jobId) throws SQLException {
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

    static PendingTask pending(ResultSet rs) throws SQLException {
        return new PendingTask(
                new TaskKey(new JobId(rs.getObject("job_id", UUID.class)), rs.getString("segment_id")),
                rs.getString("manifestation_id"),
                TaskState.valueOf(rs.getString("status")),
                span(rs),
                rs.getString("environment"));
    }

    static TaskDetail detail(ResultSet rs, JobId jobId, String manifestationId) throws SQLException {
        return new TaskDetail(
                new TaskKey(jobId, rs.getString("segment_id")),
                manifestationId,
                TaskState.valueOf(rs.getString("status")),
                span(rs),
                rs.getInt("attempts"),
                result(rs.getString("result")),
                rs.getString("error_message"));
    }

    /** A stored {@code result_json}: the mappings; empty for null. Throws on a row that is not in that shape. */
    static List<Mapping> result(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return MappingJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored result_json is not a list of mappings: " + e.getMessage(), e);
        }
    }

    static Span span(ResultSet rs) throws SQLException {
        int start = rs.getInt("span_start");
        return rs.wasNull() ? null : new Span(start, rs.getInt("span_end"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
    }
}
