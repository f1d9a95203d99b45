package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import java.time.Instant;
import java.util.List;

/**
 * The batches of batch messages, per run of their job. A job's <i>run</i> starts when it is created
 * and again whenever it is reset (by the deployed producer re-submitting its text: status QUEUED,
 * {@code completed_segments} 0; or by {@code segrel reprocess job}); within a run each segment is
 * counted once, and each batch is announced once.
 *
 * <p>Registering a batch records it in the job's current run; a batch that names a destination
 * environment also marks its job as batched (its batches announce it: it gets no job-level
 * completion message). A batch without one (the older producer's) is computed but not announced,
 * and leaves its job the job message of the single-segment pipeline. Once every segment of a registered batch is terminal
 * in that run, the store adds ONE completion message for it to the {@link Outbox} (in the same
 * transaction as the batch's last result, so the message never precedes its rows), when the batch
 * names a destination environment. Registering the same batch again within a run (a redelivery, or
 * the producer sending it twice) changes nothing.
 *
 * <p><b>Threads.</b> Safe for concurrent use by many threads and processes: registrations racing
 * with each other and with the completions of the batch's segments still announce it exactly once.
 * <b>Errors.</b> An unreachable database throws {@link StoreUnavailableException} (transient).
 */
public interface Batches {

    sealed interface Registration permits Registered, UnknownJob, OfAnotherManifestation {}

    /**
     * The batch is recorded in run {@code run} of its job; {@code first} is false when it had been
     * registered in that run already; {@code remaining} counts its segments not yet terminal then.
     */
    record Registered(int run, boolean first, int remaining) implements Registration {}

    /** No such job: nothing was recorded. */
    record UnknownJob(JobId jobId) implements Registration {}

    /** The job is of another manifestation than the batch's {@code text_id}: nothing was recorded. */
    record OfAnotherManifestation(JobId jobId, String manifestationId) implements Registration {
        public OfAnotherManifestation {
            requireNonNull(manifestationId, "manifestationId is null");
        }
    }

    /** Records {@code batch} in its job's current run (see the class comment). */
    Registration register(Batch batch, Instant now);

    /**
     * The batches registered in the latest run of the job that has any, by batch key; empty for a job
     * that got no batch message. {@code segrel reprocess job} sends them again so that a new run
     * announces them again.
     */
    List<Batch> batchesOf(JobId jobId);
}
