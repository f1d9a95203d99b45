package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.port.out.TaskStore.PendingTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-dispatches tasks that no live message will bring to a worker: IN_PROGRESS tasks whose lease
 * expired (their worker died) and QUEUED/RETRYING tasks untouched for {@code strandedAfter} (their
 * message was purged or never sent). Safe with many workers sweeping at once: the store hands each
 * task to one sweeper, and a duplicate message is a no-op for the worker that gets it.
 */
final class Sweeper {

    static final int BATCH = 500;

    private final TaskStore store;
    private final TaskQueue queue;
    private final Clock clock;
    private final Duration strandedAfter;

    Sweeper(TaskStore store, TaskQueue queue, Clock clock, Duration strandedAfter) {
        this.store = requireNonNull(store, "store is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.strandedAfter = requireNonNull(strandedAfter, "strandedAfter is null");
    }

    /** One sweep; returns how many task messages it sent. */
    int sweepOnce() {
        Instant now = clock.instant();
        List<PendingTask> pending = new ArrayList<>(store.reclaimExpired(now, BATCH));
        pending.addAll(store.takeStranded(now.minus(strandedAfter), BATCH, now));
        if (pending.isEmpty()) {
            return 0;
        }
        List<String> bodies = new ArrayList<>(pending.size());
        for (PendingTask task : pending) {
            bodies.add(TaskMessage.toSingleJson(
                    new TaskRequest(task.key().jobId(), task.manifestationId(), task.key().segmentId(), task.span())));
        }
        queue.send(bodies);
        return bodies.size();
    }
}
