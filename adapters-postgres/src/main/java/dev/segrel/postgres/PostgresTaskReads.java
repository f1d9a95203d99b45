package dev.segrel.postgres;

import static dev.segrel.postgres.TaskTables.detail;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.TaskReads;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** {@link TaskReads} on {@code segment_task}: one task, or a job's tasks through a database cursor. */
public final class PostgresTaskReads implements TaskReads {

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

    private final Jdbi jdbi;

    PostgresTaskReads(TaskTables tables) {
        this.jdbi = requireNonNull(tables, "tables is null").jdbi();
    }

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
}
