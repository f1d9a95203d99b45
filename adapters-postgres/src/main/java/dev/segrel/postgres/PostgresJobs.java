package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static dev.segrel.postgres.TaskTables.COMPLETED_DESTINATION;
import static dev.segrel.postgres.TaskTables.JOB_STATUS;
import static dev.segrel.postgres.TaskTables.completionBody;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.port.out.Jobs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link Jobs} on {@code root_job} and {@code segment_task}: a job and all its tasks in one
 * transaction (the tasks in one multi-row statement), idempotent on the job id.
 */
public final class PostgresJobs implements Jobs {

    private final Jdbi jdbi;

    PostgresJobs(TaskTables tables) {
        this.jdbi = requireNonNull(tables, "tables is null").jdbi();
    }

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

    /** TEMPORARY placeholder until the PostgreSQL work lands (branch layouts-pg); drop on merge. */
    @Override
    public java.util.OptionalInt resetJob(JobId jobId, List<NewTask> tasks, Instant now) {
        throw new UnsupportedOperationException("Jobs.resetJob is not implemented in PostgreSQL yet");
    }

    @Override
    public Optional<JobStatus> jobStatus(JobId jobId) {
        requireNonNull(jobId, "jobId is null");
        try {
            return jdbi.withHandle(h -> h.createQuery(JOB_STATUS)
                    .bind("job", jobId.value())
                    .map((rs, ctx) -> TaskTables.jobStatus(rs, jobId))
                    .findOne());
        } catch (JdbiException e) {
            throw Failures.translate(e, "reading job " + jobId);
        }
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
                return q.map((rs, ctx) -> TaskTables.jobStatus(rs, new JobId(rs.getObject("job_id", UUID.class)))).list();
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "listing jobs");
        }
    }
}
