package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Jobs whose {@code total_segments} disagrees with their task rows, which legacy data holds (a producer that
 * wrote fewer rows than it counted, rows deleted by hand, a total edited later). Such a job may never finish
 * (the rows it waits for do not exist) or finish with counts that do not add up. A job counts as mismatched
 * when it has more rows than its total; or fewer, and it is COMPLETED or FAILED already, or every row it has
 * ended while it is not batched (its rows were all made when it was: the older pipeline). A batched job's
 * rows appear as its batches arrive, so fewer rows alone are not a mismatch there. Read-only; thread-safe.
 */
public final class PostgresCountChecks {

    /** Rows of jobs {@code j} with their task counts {@code c}, mismatched per the class comment. */
    private static final String MISMATCHED = """
            FROM root_job j
            CROSS JOIN LATERAL (
                SELECT count(*) AS n, count(*) FILTER (WHERE t.status NOT IN ('COMPLETED', 'FAILED')) AS open
                FROM segment_task t WHERE t.job_id = j.job_id) c
            WHERE j.total_segments IS NOT NULL
              AND (c.n > j.total_segments
                   OR (c.n < j.total_segments
                       AND (j.status IN ('COMPLETED', 'FAILED') OR (c.n > 0 AND c.open = 0 AND NOT j.segrel_batched))))""";

    private final Jdbi jdbi;

    PostgresCountChecks(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * One job whose total disagrees with its rows.
     *
     * @param jobId the job
     * @param totalSegments its {@code total_segments}
     * @param taskRows its task rows
     */
    public record CountMismatch(JobId jobId, int totalSegments, long taskRows) {
        public CountMismatch {
            requireNonNull(jobId, "jobId is null");
            if (taskRows < 0) {
                throw new IllegalArgumentException("taskRows must be >= 0, was " + taskRows);
            }
        }

        /** {@code job …: total_segments 3, 2 task rows}. */
        public String describe() {
            return "job " + jobId + ": total_segments " + totalSegments + ", " + taskRows + " task row(s)";
        }
    }

    /**
     * Every mismatched job, counted, and the first few.
     *
     * @param jobs how many jobs are mismatched
     * @param examples up to the number asked for, by job id
     */
    public record Summary(long jobs, List<CountMismatch> examples) {
        public Summary {
            requireNonNull(examples, "examples is null");
            examples = List.copyOf(examples);
        }
    }

    /**
     * The job's mismatch, if it has one (empty too when the job does not exist).
     *
     * @throws dev.segrel.core.port.out.StoreUnavailableException when PostgreSQL cannot be reached
     */
    public Optional<CountMismatch> of(JobId job) {
        requireNonNull(job, "job is null");
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT j.job_id, j.total_segments, c.n " + MISMATCHED
                            + " AND j.job_id = :job")
                    .bind("job", job.value())
                    .map(PostgresCountChecks::mismatch)
                    .findOne());
        } catch (JdbiException e) {
            throw Failures.translate(e, "checking the counts of job " + job);
        }
    }

    /**
     * All mismatched jobs: reads every job and its task count, once (one statement counts them and returns the first).
     *
     * @throws dev.segrel.core.port.out.StoreUnavailableException when PostgreSQL cannot be reached
     */
    public Summary all(int examples) {
        if (examples < 0) {
            throw new IllegalArgumentException("examples must be >= 0, was " + examples);
        }
        try {
            // the count over every mismatched job comes with the first rows (at least one, to carry it)
            List<Counted> rows = jdbi.withHandle(h -> h.createQuery("SELECT j.job_id, j.total_segments, c.n,"
                            + " count(*) OVER () " + MISMATCHED + " ORDER BY j.job_id LIMIT :rows")
                    .bind("rows", Math.max(1, examples))
                    .map((rs, ctx) -> new Counted(mismatch(rs, ctx), rs.getLong(4)))
                    .list());
            return new Summary(rows.isEmpty() ? 0 : rows.get(0).jobs(),
                    rows.stream().limit(examples).map(Counted::mismatch).toList());
        } catch (JdbiException e) {
            throw Failures.translate(e, "checking the jobs' counts");
        }
    }

    /** A mismatched job's row and how many jobs are mismatched in all. */
    private record Counted(CountMismatch mismatch, long jobs) {}

    private static CountMismatch mismatch(ResultSet rs, StatementContext ctx) throws SQLException {
        return new CountMismatch(new JobId(rs.getObject(1, UUID.class)), rs.getInt(2), rs.getLong(3));
    }
}
