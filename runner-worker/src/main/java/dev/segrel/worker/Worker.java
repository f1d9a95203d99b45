package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue worker: a {@link Receiver} that runs at most {@code concurrency} task messages at once,
 * {@link Acknowledgements} in batches, a {@link Heartbeat} for the tasks in hand, and the outbox relay
 * and the sweeper on a schedule. What happens to a message is core's {@link HandleTaskMessage}; this
 * class only receives, acknowledges, beats and schedules.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #stop(Duration)} once, which blocks until the
 * worker is done.
 */
public final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    /** How long stopping waits for a relay (or heartbeat, or sweep) under way. */
    private static final Duration RELAY_FINISH = Duration.ofSeconds(10);

    /** The collaborators and knobs of a worker. */
    public record Parts(
            TaskQueue queue,
            HandleTaskMessage handler,
            RelayOutbox relay,
            SweepStranded sweeper,
            WorkerMetrics metrics,
            Clock clock,
            String workerId,
            int concurrency,
            Duration receiveWait,
            Duration visibility,
            Duration relayInterval,
            Duration sweepInterval,
            int receivers,
            Tracing tracing,
            String queueName) {
        public Parts {
            requireNonNull(queue, "queue is null");
            requireNonNull(handler, "handler is null");
            requireNonNull(relay, "relay is null");
            requireNonNull(sweeper, "sweeper is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(workerId, "workerId is null");
            requireNonNull(receiveWait, "receiveWait is null");
            requireNonNull(visibility, "visibility is null");
            requireNonNull(relayInterval, "relayInterval is null");
            requireNonNull(sweepInterval, "sweepInterval is null");
            requireNonNull(tracing, "tracing is null");
            requireNonNull(queueName, "queueName is null");
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
            }
            if (receivers < 1) {
                throw new IllegalArgumentException("receivers must be >= 1, was " + receivers);
            }
        }

        /** With one receive loop. */
        public Parts(TaskQueue queue, HandleTaskMessage handler, RelayOutbox relay, SweepStranded sweeper,
                WorkerMetrics metrics, Clock clock, String workerId, int concurrency, Duration receiveWait,
                Duration visibility, Duration relayInterval, Duration sweepInterval) {
            this(queue, handler, relay, sweeper, metrics, clock, workerId, concurrency, receiveWait, visibility,
                    relayInterval, sweepInterval, 1);
        }

        /** Without tracing. */
        public Parts(TaskQueue queue, HandleTaskMessage handler, RelayOutbox relay, SweepStranded sweeper,
                WorkerMetrics metrics, Clock clock, String workerId, int concurrency, Duration receiveWait,
                Duration visibility, Duration relayInterval, Duration sweepInterval, int receivers) {
            this(queue, handler, relay, sweeper, metrics, clock, workerId, concurrency, receiveWait, visibility,
                    relayInterval, sweepInterval, receivers, Tracing.noop(), "");
        }
    }

    private final Parts parts;
    private final Acknowledgements acks;
    private final Receiver receiver;
    private final Heartbeat heartbeat;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean relayQueued = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform()
            .name("segrel-worker-scheduler-", 0).daemon(true).factory());

    public Worker(Parts parts) {
        this.parts = requireNonNull(parts, "parts is null");
        this.acks = new Acknowledgements(parts.queue());
        this.receiver = new Receiver(parts.queue(), parts.handler(), acks, parts.metrics(), parts.clock(),
                parts.workerId(), parts.concurrency(), parts.receivers(), parts.receiveWait(), this::relaySoon,
                parts.tracing(), parts.queueName());
        this.heartbeat = new Heartbeat(parts.handler(), parts.queue(), receiver::inFlight, parts.visibility(),
                parts.clock());
    }

    /** Starts receiving, the heartbeat, the relay and the sweeper. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("worker already started");
        }
        receiver.start();
        acks.start();
        long beat = heartbeat.interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> guarded("heartbeat", heartbeat::beat), beat, beat, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("outbox relay", this::relay),
                0, parts.relayInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("sweeper", this::sweep),
                parts.sweepInterval().toMillis(), parts.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Worker {} started: up to {} messages in flight, {} receive loops", parts.workerId(),
                parts.concurrency(), parts.receivers());
    }

    /** True while the receive loop runs (liveness). */
    public boolean isLive() {
        return receiver.isLive();
    }

    public int inFlight() {
        return receiver.inFlight().size();
    }

    /**
     * Stops receiving, lets tasks in flight finish for up to {@code grace}, then gives back what is
     * still running (lease released, message visible again), sends pending acknowledgements and
     * completion messages, and returns. Returns true when every task finished within the grace.
     */
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        log.info("Worker {} stopping: {} tasks in flight, grace {} s", parts.workerId(), inFlight(), grace.toSeconds());
        receiver.stopReceiving();
        boolean finished = receiver.awaitTasks(remaining(deadline));
        if (!finished) {
            int released = parts.handler().releaseAll(parts.clock().instant());
            List<QueuedMessage> unfinished = receiver.abandonInFlight();
            log.warn("Grace period over: released {} leases and {} messages still in flight", released, unfinished.size());
        }
        receiver.awaitStopped(remaining(deadline).plusSeconds(1));
        acks.flushAndStop();
        // let a relay under way finish its send and mark it sent: interrupting it after SQS took the
        // message would mark the row failed and send the completion message a second time
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(RELAY_FINISH.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("The outbox relay did not finish within {} s; stopping it", RELAY_FINISH.toSeconds());
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
        guarded("final outbox relay", this::relay);
        log.info("Worker {} stopped", parts.workerId());
        return finished;
    }

    /** One heartbeat now (tests). */
    void heartbeat() {
        heartbeat.beat();
    }

    /**
     * A job or batch may have just finished: relay its completion message now rather than at the next
     * tick of the relay's interval. One relay at a time is queued, however many sets finish meanwhile.
     */
    private void relaySoon() {
        if (relayQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    relayQueued.set(false);
                    guarded("outbox relay", this::relay);
                });
            } catch (RejectedExecutionException e) {
                relayQueued.set(false); // stopping: the final relay sends it
            }
        }
    }

    private void relay() {
        parts.metrics().published(parts.relay().relayAll().sent());
    }

    private void sweep() {
        SweepStranded.SweepReport report = parts.sweeper().sweepOnce();
        if (report.sent() > 0) {
            parts.metrics().redispatched(report.sent());
            log.info("Sweeper re-dispatched {} stranded tasks", report.sent());
        }
    }

    private static void guarded(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("{} failed: {}", what, Secrets.redact(String.valueOf(e.getMessage())));
        }
    }

    /** Grace is wall time spent by this process, not business time: measured on the monotonic clock. */
    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
