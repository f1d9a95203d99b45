package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes acknowledged messages in batches of up to {@value TaskQueue#MAX_BATCH} on a thread of its
 * own, waiting a moment for a busy worker to fill a batch. An undeleted message comes back and is
 * acknowledged as a no-op then, so a failed delete loses nothing.
 */
final class Acknowledgements {

    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);
    private static final Duration FILL_WAIT = Duration.ofMillis(20);
    /**
     * How long stopping waits for the deleter to finish the delete under way and what is pending, before
     * the client closes; part of the stop budget (see {@link Worker#STOP_BUDGET}).
     */
    static final Duration DRAIN = Duration.ofSeconds(3);

    private final TaskQueue queue;
    private final LinkedBlockingQueue<QueuedMessage> pending = new LinkedBlockingQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Thread deleter;

    Acknowledgements(TaskQueue queue) {
        this.queue = requireNonNull(queue, "queue is null");
    }

    void start() {
        deleter = Thread.ofPlatform().name("segrel-deleter").daemon(true).start(this::deleteLoop);
    }

    /** The message is done with: it will be deleted with the next batch. */
    void acknowledge(QueuedMessage message) {
        pending.add(message);
    }

    /**
     * Stops the deleter once it deleted everything pending, and waits for it (up to {@link #DRAIN}) so
     * that no delete is under way when the caller closes the client. A deleter not done by then is
     * interrupted, and what it had not taken is deleted on the calling thread. Never interrupts a delete
     * under way within the drain: an interrupted call deletes nothing, and the message is handled again.
     */
    void flushAndStop() {
        stopping.set(true);
        if (deleter != null) {
            try {
                deleter.join(DRAIN);
                if (deleter.isAlive()) {
                    log.warn("The deleter did not drain within {} s; deleting the rest here", DRAIN.toSeconds());
                    deleter.interrupt();
                    deleter.join(Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<QueuedMessage> rest = new ArrayList<>();
        pending.drainTo(rest);
        for (int i = 0; i < rest.size(); i += TaskQueue.MAX_BATCH) {
            delete(rest.subList(i, Math.min(rest.size(), i + TaskQueue.MAX_BATCH)));
        }
    }

    /** True once the deleter thread ended (tests). */
    boolean stopped() {
        return deleter == null || !deleter.isAlive();
    }

    private void deleteLoop() {
        List<QueuedMessage> batch = new ArrayList<>(TaskQueue.MAX_BATCH);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                QueuedMessage first = pending.poll(stopping.get() ? 0 : 200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping.get()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                QueuedMessage next;
                while (batch.size() < TaskQueue.MAX_BATCH
                        && (next = pending.poll(FILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    batch.add(next);
                }
                delete(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // what this thread held goes back to the queue for flushAndStop
            pending.addAll(batch);
        }
    }

    private void delete(List<QueuedMessage> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            queue.delete(List.copyOf(batch));
        } catch (RuntimeException e) {
            // undeleted messages come back and are acknowledged as no-ops then
            log.warn("Could not delete {} messages: {}", batch.size(), Secrets.redact(String.valueOf(e.getMessage())));
        }
    }
}
