package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * How much work waits in the store, for monitoring: tasks waiting to be claimed and completion
 * messages waiting to be sent. Read in the background by one poller per worker, never on the path of
 * a task, so implementations answer from cheap (indexed) aggregates.
 *
 * <p><b>Threads.</b> Safe for concurrent use. <b>Errors.</b> An unreachable store throws
 * {@link StoreUnavailableException} (transient); the caller marks its figures stale.
 */
public interface Backlog {

    /**
     * What waits now.
     *
     * @param waitingTasks tasks QUEUED or RETRYING
     * @param oldestWaitingSince when the longest-waiting of them last changed state (was made, or sent
     *     back for a retry); empty when none waits
     * @param pendingMessages outbox messages not sent yet
     * @param oldestPendingSince when the oldest of them was written; empty when none is pending
     */
    record Snapshot(long waitingTasks, Optional<Instant> oldestWaitingSince, long pendingMessages,
            Optional<Instant> oldestPendingSince) {
        public Snapshot {
            requireNonNull(oldestWaitingSince, "oldestWaitingSince is null");
            requireNonNull(oldestPendingSince, "oldestPendingSince is null");
            if (waitingTasks < 0 || pendingMessages < 0) {
                throw new IllegalArgumentException("counts must be >= 0, were " + waitingTasks + " and " + pendingMessages);
            }
        }
    }

    /** Counts what waits; a few indexed aggregates, one round trip. */
    Snapshot snapshot();
}
