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
 * job's results streamed task by task. Reads only; thread-safe. Store faults propagate (transient).
 */
public interface ReadJobs {

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
}
