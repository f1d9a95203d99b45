package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

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
    private static final Duration RELAY_FINISH = Duration.ofSeconds(5);
    /**
     * What stopping may take after the grace: the receive loop's last poll returning (1 s), the deleter
     * draining ({@link Acknowledgements#DRAIN}) and a relay under way finishing ({@link #RELAY_FINISH}).
     * The default grace (20 s) plus this stays inside an orchestrator's 30 s stop: a worker exits within
     * its grace plus this budget.
     */
    public static final Duration STOP_BUDGET = Duration.ofSeconds(1).plus(Acknowledgements.DRAIN).plus(RELAY_FINISH);

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
    /**
     * The heartbeat's own thread: the relay and the sweeper may each block for tens of seconds on SQS
     * or Neo4j, and a beat that waited for them would let leases and visibility expire under healthy tasks.
     */
    private final ScheduledExecutorService heartbeatTimer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("segrel-heartbeat").daemon(true).factory());

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
        // at a fixed rate, each beat bounded by its interval: one that hangs is abandoned and the next starts on time
        Duration deadline = heartbeat.interval().multipliedBy(9).dividedBy(10);
        heartbeatTimer.scheduleAtFixedRate(() -> Guarded.run("heartbeat", () -> heartbeat.beatWithin(deadline)), beat, beat,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> Guarded.run("outbox relay", this::relay),
                0, parts.relayInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> Guarded.run("sweeper", this::sweep),
                parts.sweepInterval().toMillis(), parts.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Worker {} started: up to {} messages in flight, {} receive loops", parts.workerId(),
                parts.concurrency(), parts.receivers());
    }

    /**
     * Liveness: the receive loop runs and a heartbeat started within the last visibility period finished
     * in time. A worker whose beats hang (a black-holed database) is not live: its leases and messages
     * are expiring under it, and a restart is what gives them to a worker that can finish them.
     */
    public boolean isLive() {
        return receiver.isLive() && heartbeat.doneWithin(parts.visibility());
    }

    /**
     * The store's round trip the heartbeat makes when it holds messages but no lease (see
     * {@link #isLive()}); by default none. Set before {@link #start()}.
     */
    public void heartbeatStoreProbe(Runnable probe) {
        heartbeat.storeProbe(probe);
    }

    public int inFlight() {
        return receiver.inFlight().size();
    }

    /**
     * Stops receiving, gives back at once the messages whose tasks have not started (waiting for room in
     * the result budget), lets tasks in flight finish for up to {@code grace}, then gives back what is
     * still running (lease released, message visible again), sends pending acknowledgements and
     * completion messages, and returns. Returns true when every task finished within the grace.
     */
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        log.info("Worker {} stopping: {} tasks in flight, grace {} s", parts.workerId(), inFlight(), grace.toSeconds());
        receiver.stopReceiving();
        // what waits for room will not start within the grace: its messages go back now, not after it
        parts.handler().stopWaiting();
        boolean finished = receiver.awaitTasks(remaining(deadline));
        if (!finished) {
            int released = parts.handler().releaseAll(parts.clock().instant());
            List<QueuedMessage> unfinished = receiver.abandonInFlight();
            log.warn("Grace period over: released {} leases and {} messages still in flight", released, unfinished.size());
        }
        receiver.awaitStopped(remaining(deadline).plusSeconds(1));
        heartbeatTimer.shutdownNow(); // nothing in hand any more to keep alive
        acks.flushAndStop();
        // let a relay under way finish its send and mark it sent: interrupting it after SQS took the
        // message would mark the row failed and send the completion message a second time
        scheduler.shutdown();
        boolean relayDone = false;
        try {
            relayDone = scheduler.awaitTermination(RELAY_FINISH.toMillis(), TimeUnit.MILLISECONDS);
            if (!relayDone) {
                log.warn("The outbox relay did not finish within {} s; stopping it", RELAY_FINISH.toSeconds());
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
        if (relayDone) {
            Guarded.run("final outbox relay", this::relay);
        } else {
            // the completed queue is slow: a last pass could outlast the stop; other relays send what is left
            log.warn("Skipping the final outbox relay: what is pending is sent by the next relay");
        }
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
                    Guarded.run("outbox relay", this::relay);
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
            log.info("Sweeper re-dispatched {} stranded tasks ({} lease expired, {} queue short)", report.sent(),
                    report.sentLeaseExpired(), report.sentQueueShort());
        }
        parts.metrics().swept(report);
    }

    /** Grace is wall time spent by this process, not business time: measured on the monotonic clock. */
    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
