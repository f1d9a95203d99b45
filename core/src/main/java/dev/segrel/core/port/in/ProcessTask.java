package dev.segrel.core.port.in;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Processes one task the way a worker does for each task message: claim the task as a lease,
 * compute its related segments, store the result (fenced by the lease), and say what to do with the
 * message. Never throws for an expected outcome; an outcome tells the caller whether to acknowledge
 * the message, let it come back later, or dead-letter it.
 *
 * <p>Thread-safe: one instance serves every task a worker runs at once.
 */
public interface ProcessTask {

    /**
     * One task to process.
     *
     * @param key the task, by job and segment
     * @param spanHint the span given by the message; used when the stored task has none (tasks
     *     inserted by the existing producers); may be null
     * @param owner who claims: the worker's id
     * @param manifestationId the manifestation the message names ({@code text_id}); with a span, a
     *     task missing from a job that exists is created when the segment is one of that
     *     manifestation's in the graph; may be null (then a missing task is refused)
     * @param environment the message's {@code source_environment}, selecting the graph; null for the
     *     default graph
     * @param trace the trace of the message that named the task (its receive span), or null
     */
    record Command(TaskKey key, Span spanHint, String owner, String manifestationId, String environment,
            TraceContext trace) {
        public Command {
            requireNonNull(key, "key is null");
            requireNonNull(owner, "owner is null");
        }

        /** A task outside any trace. */
        public Command(TaskKey key, Span spanHint, String owner, String manifestationId, String environment) {
            this(key, spanHint, owner, manifestationId, environment, null);
        }

        /** A task of the default graph that must exist already. */
        public Command(TaskKey key, Span spanHint, String owner) {
            this(key, spanHint, owner, null, null);
        }
    }

    /** What became of the task, and so of its message. */
    sealed interface Outcome permits Done, AlreadyDone, RetryLater, Failed, Rejected {
        TaskKey key();

        /** True when the message should be deleted from the queue. */
        default boolean acknowledge() {
            return this instanceof Done || this instanceof AlreadyDone;
        }
    }

    /** Computed and stored. Acknowledge. {@code jobFinished} is true for the task that finished its job. */
    record Done(TaskKey key, int attempt, int mappings, boolean jobFinished) implements Outcome {}

    /** Nothing to do: completed (or failed for good) already. Acknowledge as a no-op. */
    record AlreadyDone(TaskKey key, String why) implements Outcome {}

    /** Not now: another live worker holds it, or a transient fault. Make the message visible again after {@code after}. */
    record RetryLater(TaskKey key, Duration after, int attempt, String reason) implements Outcome {}

    /** FAILED for good (attempts used up or a deterministic error), recorded in the store. Dead-letter the message. */
    record Failed(TaskKey key, int attempt, String reason, boolean jobFinished) implements Outcome {}

    /** The message names no task that can be processed (unknown job or segment, no span). Dead-letter it. */
    record Rejected(TaskKey key, String reason) implements Outcome {}

    /**
     * Processes one task. Blocks while it computes; returns when the outcome is known. Faults of the
     * graph or the store become {@link RetryLater} (or {@link Failed} once attempts are used up).
     */
    Outcome process(Command command);

    /**
     * Processes a set of tasks (one batch message's, or the single-segment messages of one receive)
     * as a set: one claim for all, each computed, one completion for all, in sets of at most the
     * configured number of results held in memory. Failures stay per task: each command gets its
     * own outcome, in order, and one task's fault neither fails nor delays its set-mates.
     */
    List<Outcome> processAll(List<Command> commands);

    /**
     * Heartbeat: extends the lease of every task this instance is processing right now to
     * {@code now + lease length}. Returns how many leases were extended. Called by the worker on the
     * same beat that extends the messages' visibility.
     */
    int extendLeases(Instant now);

    /**
     * Shutdown: gives back (to QUEUED, attempt not counted) every task this instance still holds, so
     * another worker can take it at once. Tasks still computing will find their lease gone and write
     * nothing. Returns how many were released.
     */
    int releaseAll(Instant now);

    /**
     * Shutdown began: every set, or part of a set, still waiting for room in the result budget returns
     * at once, its tasks unclaimed, as {@link RetryLater} after {@link java.time.Duration#ZERO} (their
     * messages visible again now, not after the grace); sets already computing go on. Sets handed over
     * afterwards are not started either. Idempotent. By default nothing waits, so nothing is done.
     */
    default void stopWaiting() {
    }
}
