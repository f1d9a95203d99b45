package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.NewTask;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Jobs: created with all their tasks in one transaction, and read back with their counts.
 *
 * <p><b>Threads.</b> Safe for concurrent use by many threads and processes; creating a job is
 * idempotent on its id (two creators racing with one id: one creates, the other is told it exists).
 * <b>Errors.</b> An unreachable database throws {@link StoreUnavailableException} (transient).
 */
public interface Jobs {


    /** A new job and all its tasks. */
    record NewJob(JobId jobId, String manifestationId, List<NewTask> tasks) {
        public NewJob {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(manifestationId, "manifestationId is null");
            tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
        }
    }

    sealed interface CreateJobResult permits JobCreated, JobAlreadyExists {}

    record JobCreated(JobId jobId, int tasks) implements CreateJobResult {}

    /** A job with this id exists already: nothing was written. */
    record JobAlreadyExists(JobId jobId, int tasks) implements CreateJobResult {}

    /** Creates the job and its tasks (QUEUED) in one transaction. */
    CreateJobResult createJob(NewJob job, Instant now);


    /**
     * Resets a job as the deployed producer does when a text is submitted again: status QUEUED,
     * {@code completed_segments} and {@code failed_segments} 0, {@code total_segments} the number of
     * {@code tasks}; this starts a new run of the job, in which every task is processed and every
     * batch announced again. Tasks missing from the job are made (QUEUED, with their spans). Returns
     * the new run, or empty for an unknown job (nothing written). One transaction.
     */
    OptionalInt resetJob(JobId jobId, List<NewTask> tasks, Instant now);

    /** The job's counts, or empty for an unknown job. One round trip. */
    Optional<JobStatus> jobStatus(JobId jobId);


    /** The jobs matching {@code query}, newest (by creation) first, then by job id; with their counts. */
    List<JobStatus> listJobs(JobQuery query);
}
