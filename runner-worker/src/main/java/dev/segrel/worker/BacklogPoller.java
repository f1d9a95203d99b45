package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.QueueAdmin;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes {@link BacklogGauges} every {@link #INTERVAL} on a thread of its own, off the path of
 * any task: one indexed query of the store and one GetQueueAttributes call per poll, whatever the
 * number of scrapes ({@link Readiness} runs the dependency checks). A failed poll marks its figures stale and is logged once, until a poll succeeds
 * again. {@link #close} stops it.
 */
final class BacklogPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BacklogPoller.class);

    /** How often the figures are refreshed: cheaper than every scrape, fresh enough for an alert's {@code for:}. */
    static final Duration INTERVAL = Duration.ofSeconds(15);

    private final Backlog backlog;
    private final QueueAdmin queue;
    private final BacklogGauges gauges;
    private final Outbox outbox;
    private ScheduledExecutorService timer; // guarded by this
    private volatile boolean storeDown;
    private volatile boolean queueDown;

    BacklogPoller(Backlog backlog, QueueAdmin queue, BacklogGauges gauges) {
        this(backlog, queue, gauges, null);
    }

    /** Also polls {@code outbox} (null: none) for its stuck messages. */
    BacklogPoller(Backlog backlog, QueueAdmin queue, BacklogGauges gauges, Outbox outbox) {
        this.backlog = requireNonNull(backlog, "backlog is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.gauges = requireNonNull(gauges, "gauges is null");
        this.outbox = outbox;
    }

    /** Polls now, then every {@link #INTERVAL}. Idempotent. */
    synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("segrel-backlog-poller").unstarted(r));
            timer.scheduleWithFixedDelay(() -> Guarded.run("backlog poll", this::refresh), 0, INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** One poll of the store and the queue; never throws (that would end the schedule). */
    void refresh() {
        try {
            gauges.store(backlog.snapshot());
            if (outbox != null) {
                gauges.stuck(outbox.stuck());
            }
            if (storeDown) {
                log.info("Backlog figures of the store are fresh again");
            }
            storeDown = false;
        } catch (RuntimeException e) {
            gauges.storeFailed();
            if (!storeDown) {
                log.warn("Could not count the backlog in the store; its figures read NaN until a poll succeeds: {}",
                        Secrets.redact(String.valueOf(e.getMessage())));
            }
            storeDown = true;
        }
        try {
            gauges.queue(queue.stats());
            if (queueDown) {
                log.info("Queue depth figures are fresh again");
            }
            queueDown = false;
        } catch (RuntimeException e) {
            gauges.queueFailed();
            if (!queueDown) {
                log.warn("Could not read the task queue's depth; its figures read NaN until a poll succeeds: {}",
                        Secrets.redact(String.valueOf(e.getMessage())));
            }
            queueDown = true;
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
