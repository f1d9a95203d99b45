package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One beat keeps every task in hand alive: it extends the leases of the tasks being processed and
 * the visibility of their messages, in batches. Called every third of the visibility timeout, so a
 * task outlives its lease only when two beats in a row fail.
 */
final class Heartbeat {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final HandleTaskMessage handler;
    private final TaskQueue queue;
    private final Supplier<Collection<QueuedMessage>> inHand;
    private final Duration visibility;
    private final Clock clock;

    Heartbeat(HandleTaskMessage handler, TaskQueue queue, Supplier<Collection<QueuedMessage>> inHand,
            Duration visibility, Clock clock) {
        this.handler = requireNonNull(handler, "handler is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.inHand = requireNonNull(inHand, "inHand is null");
        this.visibility = requireNonNull(visibility, "visibility is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** How often to beat. */
    Duration interval() {
        return Duration.ofMillis(Math.max(1, visibility.toMillis() / 3));
    }

    /** One beat; returns the number of leases extended. */
    int beat() {
        List<QueuedMessage> running = new ArrayList<>(inHand.get());
        int leases = handler.extendLeases(clock.instant());
        for (int i = 0; i < running.size(); i += TaskQueue.MAX_BATCH) {
            queue.changeVisibility(running.subList(i, Math.min(running.size(), i + TaskQueue.MAX_BATCH)), visibility);
        }
        if (leases > 0 || !running.isEmpty()) {
            log.debug("Heartbeat: extended {} leases and {} messages", leases, running.size());
        }
        return leases;
    }
}
