package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import java.time.Instant;
import java.util.List;

/**
 * Tasks that need a (new) task message: those whose holder died, those whose message was lost, and
 * those an operator asks to compute again.
 *
 * <p><b>Threads.</b> Safe with many sweepers and operators at once: each task is handed to one
 * caller per pass. <b>Time.</b> Callers pass {@code now}. <b>Errors.</b> An unreachable database
 * throws {@link StoreUnavailableException} (transient).
 */
public interface TaskRecovery {

    /**
     * A task that needs a (new) task message.
     *
     * @param span the stored span, or null when the row has none (a legacy producer's task)
     * @param environment the source environment of the batch message that brought the task (its
     *     latest), whose graph it is searched in; null for the default graph
     */
    record PendingTask(TaskKey key, String manifestationId, TaskState state, Span span, String environment) {
        public PendingTask {
            requireNonNull(key, "key is null");
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(state, "state is null");
        }

        public PendingTask(TaskKey key, String manifestationId, TaskState state, Span span) {
            this(key, manifestationId, state, span, null);
        }
    }

    /**
     * Turns up to {@code limit} IN_PROGRESS tasks whose lease expired at or before {@code now} into
     * RETRYING (lease cleared; a late write of the old holder is fenced off) and returns them so a
     * sweeper can re-dispatch them. The attempt count is kept: a worker that sees an attempt past
     * its limit fails the task for good.
     */
    List<PendingTask> reclaimExpired(Instant now, int limit);

    /**
     * Returns up to {@code limit} QUEUED or RETRYING tasks not touched since {@code quietSince}, the
     * longest untouched first, and marks them touched at {@code now}, so that concurrent sweepers do
     * not both re-dispatch one task and the same task is offered again only after another quiet
     * period. Whether their messages are lost is the caller's judgement (see {@link #countExpectingMessage}).
     */
    List<PendingTask> takeStranded(Instant quietSince, int limit, Instant now);

    /**
     * How many tasks untouched since {@code untouchedSince} should each have a message in the task
     * queue: QUEUED and RETRYING ones (visible or postponed) and IN_PROGRESS ones (in flight with their
     * holder). A sweeper compares them with what the queue counts to tell whether messages were lost
     * ({@link #takeStranded} takes them). Two aggregates over the sweeper's indexes.
     */
    long countExpectingMessage(Instant untouchedSince);

    sealed interface ReprocessResult permits Reprocessed, NoTaskMatched, UnknownJobOrTask {}

    /**
     * The tasks were reset to QUEUED (attempts, result, error and lease cleared; any holder fenced
     * off), the job's counts corrected and its completion message forgotten so that it is sent again
     * when the job completes again. The caller sends one task message per returned task.
     */
    record Reprocessed(JobId jobId, List<PendingTask> tasks) implements ReprocessResult {
        public Reprocessed {
            requireNonNull(jobId, "jobId is null");
            tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
        }
    }

    /** The job exists but no task matched (e.g. no failed task): nothing was changed. */
    record NoTaskMatched(JobId jobId) implements ReprocessResult {}

    /** No such job, or (for one task) no such segment in it. */
    record UnknownJobOrTask(JobId jobId) implements ReprocessResult {}

    /** Resets one task (whatever its state) for processing again. */
    ReprocessResult reprocessTask(TaskKey key, Instant now);

    /** Resets every task of the job, or only its FAILED ones, for processing again. */
    ReprocessResult reprocessJob(JobId jobId, boolean onlyFailed, Instant now);
}
