package dev.segrel.core.port.out;

import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.TaskKey;
import java.time.Instant;
import java.util.List;

/**
 * The end of a claimed task: its result stored, or its failure recorded, each fenced by the lease
 * (a holder whose lease was taken over writes nothing) and counted once in its job. The write that
 * makes every task of a job terminal also finishes the job and adds its completion message to the
 * {@link Outbox}, in the same transaction.
 *
 * <p><b>Threads.</b> Safe for concurrent use by many threads and processes. <b>Time.</b> Callers
 * pass {@code now}. <b>Errors.</b> Outcomes are values; an unreachable database throws
 * {@link StoreUnavailableException} (transient) and nothing was written.
 */
public interface TaskCompletions {

    sealed interface CompleteResult permits Completed, LeaseLost {}

    sealed interface FailResult permits WillRetry, FailedForGood, LeaseLost {}

    /**
     * The result is stored and counted. {@code jobFinished} is true for exactly one task per job:
     * the one whose completion made every task terminal; {@code jobState} is the job's state after.
     */
    record Completed(TaskKey key, boolean jobFinished, JobState jobState) implements CompleteResult {}

    /** The task is RETRYING; {@code attempts} so far. */
    record WillRetry(TaskKey key, int attempts) implements FailResult {}

    /** The task is FAILED; as for {@link Completed}, {@code jobFinished} marks the last task. */
    record FailedForGood(TaskKey key, int attempts, boolean jobFinished, JobState jobState) implements FailResult {}

    /** The caller's lease was taken over or released: nothing was written. */
    record LeaseLost(TaskKey key) implements CompleteResult, FailResult {}

    /**
     * Stores {@code result_json}, marks the task COMPLETED and counts it in the job, in one
     * transaction and only if {@code lease} is still held (fenced). When this makes every task of
     * the job terminal, the job becomes COMPLETED (or FAILED when some task failed) and its
     * completion message is added to the outbox in the same transaction.
     *
     * @throws ResultTooLargeException when the result cannot be stored; nothing is written
     */
    CompleteResult complete(Lease lease, List<Mapping> result, Instant now);

    /**
     * Records a failure with its error. RETRYING while attempts are below {@code maxAttempts} and the
     * failure is not {@code permanent}; FAILED otherwise (finishing the job as {@link #complete} does).
     */
    FailResult fail(Lease lease, String error, boolean permanent, int maxAttempts, Instant now);
}
