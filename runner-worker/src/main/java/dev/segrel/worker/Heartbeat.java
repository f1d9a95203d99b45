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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One beat keeps every task in hand alive: it extends the leases of the tasks being processed and
 * the visibility of their messages, in batches. Called every third of the visibility timeout, so a
 * task outlives its lease only when two beats in a row fail.
 *
 * <p>{@link #beatWithin} is what the worker's own heartbeat thread calls: the leases (PostgreSQL) and
 * the visibility (SQS) are extended side by side on virtual threads, and a part that does not finish
 * within the deadline is abandoned (interrupted, logged) so that the next beat starts on time. A beat
 * counts as done only when both parts finished in time; {@link #doneWithin} is the liveness built on it.
 */
final class Heartbeat {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
    /** Parts of beats running at once at most (a beat has two): beyond, a hung dependency holds them all. */
    private static final int MAX_RUNNING = 6;

    private final HandleTaskMessage handler;
    private final TaskQueue queue;
    private final Supplier<Collection<QueuedMessage>> inHand;
    private final Duration visibility;
    private final Clock clock;
    /** Parts still running, abandoned or not: a black-holed dependency must not pile up threads. */
    private final AtomicInteger running = new AtomicInteger();
    /** When the last beat that finished in time started (monotonic); a new heartbeat counts as just done. */
    private volatile long lastDone = System.nanoTime();
    /** A round trip to the store, for a beat with messages in hand and no lease (their claims may hang). */
    private volatile Runnable storeProbe = () -> { };

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

    /** One beat, both parts on the calling thread, with no deadline (tests). */
    void beat() {
        List<QueuedMessage> running = new ArrayList<>(inHand.get());
        int leases = handler.extendLeases(clock.instant());
        extendVisibility(running);
        if (leases > 0 || !running.isEmpty()) {
            log.debug("Heartbeat: extended {} leases and {} messages", leases, running.size());
        }
    }

    /** The messages' visibility, in requests of at most {@link TaskQueue#MAX_BATCH}. */
    private void extendVisibility(List<QueuedMessage> messages) {
        for (int i = 0; i < messages.size(); i += TaskQueue.MAX_BATCH) {
            queue.changeVisibility(messages.subList(i, Math.min(messages.size(), i + TaskQueue.MAX_BATCH)), visibility);
        }
    }

    /**
     * One beat whose two parts must finish within {@code deadline}; returns true when they did (the
     * beat then counts for {@link #doneWithin}). Never throws.
     */
    boolean beatWithin(Duration deadline) {
        long start = System.nanoTime();
        long until = start + deadline.toNanos();
        List<QueuedMessage> messagesInHand = new ArrayList<>(inHand.get());
        Runnable probe = storeProbe;
        FutureTask<?> leases = part("leases", () -> {
            if (handler.extendLeases(clock.instant()) == 0 && !messagesInHand.isEmpty()) {
                probe(probe);
            }
        });
        FutureTask<?> messages = part("visibility", () -> extendVisibility(messagesInHand));
        boolean done = finished("extending the leases", leases, until)
                & finished("extending the messages' visibility", messages, until);
        if (done) {
            lastDone = start;
        }
        return done;
    }

    /**
     * Sets the store's round trip that a beat makes when it holds messages but no lease: a worker
     * whose claims hang on a black-holed store is as stuck as one whose lease extensions do.
     */
    void storeProbe(Runnable probe) {
        storeProbe = requireNonNull(probe, "probe is null");
    }

    /** An answer, even a refusal, is what liveness asks for: only a probe that hangs keeps the beat from finishing. */
    private static void probe(Runnable probe) {
        try {
            probe.run();
        } catch (RuntimeException e) {
            log.debug("Heartbeat: the store refused its probe: {}", e.getClass().getSimpleName());
        }
    }

    /** True when a beat started within the last {@code period} finished in time (liveness). */
    boolean doneWithin(Duration period) {
        return System.nanoTime() - lastDone <= period.toNanos();
    }

    /** A part of a beat, started on a virtual thread of its own; null when too many earlier parts still hang. */
    private FutureTask<?> part(String name, Runnable action) {
        if (running.incrementAndGet() > MAX_RUNNING) {
            running.decrementAndGet();
            log.warn("Heartbeat: {} earlier parts are still running; not starting its {} part", MAX_RUNNING, name);
            return null;
        }
        FutureTask<Object> task = new FutureTask<>(() -> {
            try {
                action.run();
            } finally {
                running.decrementAndGet();
            }
        }, null);
        Thread.ofVirtual().name("segrel-heartbeat-" + name).start(task);
        return task;
    }

    private static boolean finished(String doing, FutureTask<?> task, long untilNanos) {
        if (task == null) {
            return false;
        }
        try {
            task.get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            task.cancel(true);
            log.warn("Heartbeat: {} did not finish within its interval; abandoned, the next beat starts on time", doing);
        } catch (ExecutionException e) {
            Guarded.run("Heartbeat " + doing, () -> {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
        }
        return false;
    }
}
