package dev.segrel.core.port.in;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.TaskDetail;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What operators read about jobs: a job's progress (counts, rate, time left), the newest jobs, and a
 * job's results streamed task by task or a page at a time. Reads only; thread-safe. Store faults
 * propagate (transient).
 */
public interface ReadJobs {

    /** The largest {@link #page} limit: the uploader's {@code segments-relations} endpoint allows 100. */
    int MAX_PAGE_LIMIT = 100;

    /**
     * One page of a job's tasks, as the uploader's {@code GET /job/{text_id}/segments-relations?skip&limit}
     * pages them.
     *
     * @param tasks at most {@code limit} tasks, from the {@code skip}-th (0-based) in segment-id order;
     *     empty when {@code skip} is past the end
     * @param total the job's number of tasks
     */
    record Page(JobId jobId, String manifestationId, List<TaskDetail> tasks, int skip, int limit, int total) {
        public Page {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(manifestationId, "manifestationId is null");
            tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
            checkWindow(skip, limit);
            if (tasks.size() > limit) {
                throw new IllegalArgumentException("a page of limit " + limit + " has " + tasks.size() + " tasks");
            }
            if (total < 0) {
                throw new IllegalArgumentException("total must be >= 0, was " + total);
            }
        }

        /** Throws unless {@code skip} >= 0 and {@code limit} is in 1..{@value #MAX_PAGE_LIMIT}. */
        public static void checkWindow(int skip, int limit) {
            if (skip < 0) {
                throw new IllegalArgumentException("skip must be >= 0, was " + skip);
            }
            if (limit < 1 || limit > MAX_PAGE_LIMIT) {
                throw new IllegalArgumentException("limit must be in 1.." + MAX_PAGE_LIMIT + ", was " + limit);
            }
        }
    }

    /**
     * A job's counts with its pace.
     *
     * @param ratePerSecond terminal tasks per second since the job was created (until it finished)
     * @param eta the time left at that rate; empty when unknown or finished
     */
    record Progress(JobStatus status, double ratePerSecond, Optional<Duration> eta) {
        public Progress {
            requireNonNull(status, "status is null");
            requireNonNull(eta, "eta is null");
        }
    }

    /** The job's progress now, or empty for an unknown job. */
    Optional<Progress> progress(JobId jobId);

    /** The pace of a status already read (from {@link #list}), as of now; reads nothing. */
    Progress paceOf(JobStatus status);

    /** The jobs matching {@code query}, newest first. */
    List<JobStatus> list(JobQuery query);

    /** The newest COMPLETED job of the manifestation, else its newest job; empty when it has none. */
    Optional<JobStatus> newestOf(String manifestationId);

    /**
     * Hands every task of the job to {@code sink}, ordered by segment id, streamed (see
     * {@link dev.segrel.core.port.out.TaskReads#forEachTask}).
     *
     * @return false when the job is unknown
     */
    boolean results(JobId jobId, Consumer<TaskDetail> sink);

    /**
     * The tasks of the job from the {@code skip}-th, at most {@code limit} of them, in the order of
     * {@link #results}, with the job's number of tasks. Holds one page in memory, but reads every
     * task of the job to count them (a store cursor, as {@link #results}).
     *
     * @return empty when the job is unknown
     * @throws IllegalArgumentException unless {@code skip} >= 0 and {@code limit} is in 1..{@value #MAX_PAGE_LIMIT}
     */
    Optional<Page> page(JobId jobId, int skip, int limit);
}
