package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TraceContext;
import java.time.Instant;
import java.util.ArrayList;
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

    /** How a task's end went: {@link #complete}'s or {@link #fail}'s result. */
    sealed interface EndResult permits CompleteResult, FailResult {
        TaskKey key();
    }

    sealed interface CompleteResult extends EndResult permits Completed, LeaseLost {}

    sealed interface FailResult extends EndResult permits WillRetry, FailedForGood, LeaseLost {}

    /**
     * The result is stored and counted. {@code jobFinished} is true for exactly one task per job:
     * the one whose completion made every task terminal; {@code jobState} is the job's state after.
     */
    record Completed(TaskKey key, boolean jobFinished, JobState jobState) implements CompleteResult {}

    /** The task is RETRYING; {@code attempts} so far. */
    record WillRetry(TaskKey key, int attempts) implements FailResult {}

    /**
     * The task is FAILED; as for {@link Completed}, {@code jobFinished} marks the last task.
     * {@code error} is set when the store chose the failure (a result too large to store, in
     * {@link #endAll}); null when it is the caller's.
     */
    record FailedForGood(TaskKey key, int attempts, boolean jobFinished, JobState jobState, String error)
            implements FailResult {

        public FailedForGood(TaskKey key, int attempts, boolean jobFinished, JobState jobState) {
            this(key, attempts, jobFinished, jobState, null);
        }
    }

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

    /**
     * The end of one claimed task in {@link #endAll}: its result ({@code result} non-null), or its
     * failure with {@code error}, {@code permanent} as for {@link #fail}. {@code trace} (null: none) is
     * stored with the outbox row this ending may add, so that the completion message continues the
     * trace of the task that finished its job or batch.
     */
    record Ending(Lease lease, List<Mapping> result, String error, boolean permanent, TraceContext trace) {
        public Ending {
            requireNonNull(lease, "lease is null");
            if ((result == null) == (error == null)) {
                throw new IllegalArgumentException("an ending has either a result or an error: " + lease.key());
            }
        }

        public Ending(Lease lease, List<Mapping> result, String error, boolean permanent) {
            this(lease, result, error, permanent, null);
        }

        /** This ending, its outbox row continuing {@code trace}. */
        public Ending withTrace(TraceContext trace) {
            return new Ending(lease, result, error, permanent, trace);
        }

        public static Ending success(Lease lease, List<Mapping> result) {
            return new Ending(lease, requireNonNull(result, "result is null"), null, false);
        }

        public static Ending failure(Lease lease, String error, boolean permanent) {
            return new Ending(lease, null, requireNonNull(error, "error is null"), permanent);
        }
    }

    /**
     * Ends every task of {@code endings} as {@link #complete} or {@link #fail} would, all in ONE
     * transaction: the results and failures, the jobs' counts, and the outbox rows of every job and
     * batch that became terminal. Each ending is fenced by its own lease and has its own result, in
     * order: a lost lease, or a result too large to store (recorded as that task's permanent failure,
     * {@link FailedForGood} with the reason in {@code error}), does not touch its set-mates.
     *
     * <p>The default ends one by one (in-memory stores).
     */
    default List<EndResult> endAll(List<Ending> endings, int maxAttempts, Instant now) {
        List<EndResult> results = new ArrayList<>(endings.size());
        for (Ending ending : endings) {
            if (ending.result() == null) {
                results.add(fail(ending.lease(), ending.error(), ending.permanent(), maxAttempts, now));
                continue;
            }
            try {
                results.add(complete(ending.lease(), ending.result(), now));
            } catch (ResultTooLargeException e) {
                FailResult failed = fail(ending.lease(), e.getMessage(), true, maxAttempts, now);
                results.add(failed instanceof FailedForGood f
                        ? new FailedForGood(f.key(), f.attempts(), f.jobFinished(), f.jobState(), e.getMessage())
                        : failed);
            }
        }
        return results;
    }
}
