package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue worker: receives task messages in batches, runs at most {@code concurrency} tasks at
 * once on virtual threads (it never receives more than it can start), acknowledges in batches, keeps
 * long tasks alive with one heartbeat for both the message's visibility and the task's lease, and
 * runs the outbox relay and the sweeper on a schedule.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #stop(Duration)} once, which blocks until the
 * worker is done. A worker never crashes on a message: every failure of one message becomes that
 * message's outcome.
 */
public final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** The collaborators and knobs of a worker. */
    public record Parts(
            TaskQueue queue,
            ProcessTask processTask,
            RejectedMessages rejected,
            IntSupplier relayOnce,
            IntSupplier sweepOnce,
            WorkerMetrics metrics,
            Clock clock,
            String workerId,
            int concurrency,
            Duration receiveWait,
            Duration visibility,
            Duration relayInterval,
            Duration sweepInterval) {
        public Parts {
            requireNonNull(queue, "queue is null");
            requireNonNull(processTask, "processTask is null");
            requireNonNull(rejected, "rejected is null");
            requireNonNull(relayOnce, "relayOnce is null");
            requireNonNull(sweepOnce, "sweepOnce is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(workerId, "workerId is null");
            requireNonNull(receiveWait, "receiveWait is null");
            requireNonNull(visibility, "visibility is null");
            requireNonNull(relayInterval, "relayInterval is null");
            requireNonNull(sweepInterval, "sweepInterval is null");
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
            }
        }
    }

    private final Parts parts;
    private final Semaphore permits;
    private final Map<String, QueuedMessage> inFlight = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<QueuedMessage> toDelete = new LinkedBlockingQueue<>();
    private final AtomicBoolean receiving = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch receiverDone = new CountDownLatch(1);
    private final ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform()
            .name("segrel-worker-scheduler-", 0).daemon(true).factory());
    private volatile boolean healthy = true;
    private Thread receiver;
    private Thread deleter;

    public Worker(Parts parts) {
        this.parts = requireNonNull(parts, "parts is null");
        this.permits = new Semaphore(parts.concurrency());
    }

    /** Starts receiving, the heartbeat, the relay and the sweeper. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("worker already started");
        }
        receiving.set(true);
        receiver = Thread.ofPlatform().name("segrel-receiver").start(this::receiveLoop);
        deleter = Thread.ofPlatform().name("segrel-deleter").daemon(true).start(this::deleteLoop);
        long beat = Math.max(1, parts.visibility().toMillis() / 3);
        scheduler.scheduleWithFixedDelay(() -> guarded("heartbeat", this::heartbeat), beat, beat, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("outbox relay", () -> parts.relayOnce().getAsInt()),
                0, parts.relayInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("sweeper", this::sweep),
                parts.sweepInterval().toMillis(), parts.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Worker {} started: up to {} tasks in flight", parts.workerId(), parts.concurrency());
    }

    /** True while the receive loop runs (liveness). */
    public boolean isLive() {
        return healthy && (!started.get() || receiverDone.getCount() > 0 || !receiving.get());
    }

    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Stops receiving, lets tasks in flight finish for up to {@code grace}, then gives back what is
     * still running (lease released, message visible again), sends pending acknowledgements and
     * completion messages, and returns. Returns true when every task finished within the grace.
     */
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        receiving.set(false);
        log.info("Worker {} stopping: {} tasks in flight, grace {} s", parts.workerId(), inFlight.size(),
                grace.toSeconds());
        tasks.shutdown();
        boolean finished = awaitQuietly(tasks, remaining(deadline));
        if (!finished) {
            List<QueuedMessage> unfinished = new ArrayList<>(inFlight.values());
            int released = parts.processTask().releaseAll(parts.clock().instant());
            releaseMessages(unfinished);
            log.warn("Grace period over: released {} leases and {} messages still in flight", released,
                    unfinished.size());
            tasks.shutdownNow();
        }
        try {
            // a receive in progress returns within the long-poll wait; what it brings is released
            receiverDone.await(Math.max(remaining(deadline).toMillis(), 0) + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (receiver != null && receiver.isAlive()) {
            receiver.interrupt();
        }
        flushDeletes();
        scheduler.shutdownNow();
        guarded("final outbox relay", () -> parts.relayOnce().getAsInt());
        if (deleter != null) {
            deleter.interrupt();
        }
        log.info("Worker {} stopped", parts.workerId());
        return finished;
    }

    // ------------------------------------------------------------------------------ receive

    private void receiveLoop() {
        try {
            while (receiving.get()) {
                int wanted = acquirePermits();
                if (wanted == 0) {
                    continue;
                }
                List<QueuedMessage> messages;
                try {
                    messages = parts.queue().receive(wanted, parts.receiveWait());
                } catch (RuntimeException e) {
                    permits.release(wanted);
                    log.warn("Receive failed, backing off: {}", Secrets.redact(e.getMessage()));
                    pause(Duration.ofSeconds(1));
                    continue;
                }
                permits.release(wanted - messages.size());
                if (messages.isEmpty()) {
                    continue;
                }
                Instant now = parts.clock().instant();
                Instant newest = messages.stream().map(QueuedMessage::sentAt).max(Instant::compareTo).orElse(now);
                parts.metrics().received(messages.size(), Duration.between(newest, now));
                if (!receiving.get()) {
                    releaseMessages(messages);
                    permits.release(messages.size());
                    break;
                }
                for (QueuedMessage message : messages) {
                    inFlight.put(message.receiptHandle(), message);
                    try {
                        tasks.execute(() -> handle(message));
                    } catch (RejectedExecutionException e) {
                        // stop() began between the check above and here: give the message back
                        inFlight.remove(message.receiptHandle());
                        releaseMessages(List.of(message));
                        permits.release();
                    }
                }
            }
        } catch (RuntimeException e) {
            healthy = false;
            log.error("Receive loop died", e);
        } finally {
            receiverDone.countDown();
        }
    }

    /** Blocks for one permit (re-checking the stop flag), then takes what else is free, up to a batch. */
    private int acquirePermits() {
        try {
            if (!permits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            receiving.set(false);
            return 0;
        }
        int more = 0;
        while (more < TaskQueue.MAX_BATCH - 1 && permits.tryAcquire()) {
            more++;
        }
        return 1 + more;
    }

    // ------------------------------------------------------------------------------ handle

    private void handle(QueuedMessage message) {
        Instant began = parts.clock().instant();
        parts.metrics().started();
        try {
            switch (TaskMessage.parse(message.body())) {
                case TaskMessage.Poison poison -> reject(message, "poison message: " + poison.reason(), true);
                case TaskMessage.Parsed parsed -> process(message, parsed.requests());
            }
        } catch (RuntimeException e) {
            // never crash on a message: it comes back after its visibility timeout
            log.error("Unexpected failure on message {}; it will be retried", message.messageId(), e);
            parts.metrics().retried();
        } finally {
            inFlight.remove(message.receiptHandle());
            permits.release();
            parts.metrics().finished(Duration.between(began, parts.clock().instant()));
        }
    }

    private void process(QueuedMessage message, List<TaskRequest> requests) {
        Duration retryAfter = null;
        List<String> refusals = new ArrayList<>();
        for (TaskRequest request : requests) {
            ProcessTask.Outcome outcome = parts.processTask().process(
                    new ProcessTask.Command(request.key(), request.span(), parts.workerId()));
            switch (outcome) {
                case ProcessTask.Done done -> {
                    parts.metrics().claimed();
                    parts.metrics().completed();
                }
                case ProcessTask.AlreadyDone done -> {
                    parts.metrics().noop();
                    log.info("Segment {} for job {}: nothing to do ({})", done.key().segmentId(), done.key().jobId(),
                            done.why());
                }
                case ProcessTask.RetryLater retry -> {
                    parts.metrics().retried();
                    retryAfter = retryAfter == null || retry.after().compareTo(retryAfter) < 0 ? retry.after() : retryAfter;
                }
                case ProcessTask.Failed failed -> {
                    parts.metrics().claimed();
                    parts.metrics().failed();
                    refusals.add(failed.key() + ": " + failed.reason());
                }
                case ProcessTask.Rejected rejected -> refusals.add(rejected.key() + ": " + rejected.reason());
            }
        }
        if (retryAfter != null) {
            // the tasks that are done will be no-ops when the message comes back
            changeVisibility(message, clamp(retryAfter));
        } else if (!refusals.isEmpty()) {
            reject(message, String.join("; ", refusals), false);
        } else {
            toDelete.add(message);
        }
    }

    private void reject(QueuedMessage message, String reason, boolean poison) {
        String safeReason = Secrets.redact(reason);
        if (poison) {
            parts.metrics().poison();
        }
        log.warn("Dead-lettering message {}: {}", message.messageId(), safeReason);
        try {
            parts.rejected().record(message.messageId(), message.body(), safeReason, parts.clock().instant());
            parts.queue().deadLetter(message, safeReason);
            parts.metrics().deadLettered();
        } catch (RuntimeException e) {
            // not recorded or not moved: leave it to come back and be refused again
            log.error("Could not dead-letter message {}: {}", message.messageId(), Secrets.redact(e.getMessage()));
        }
    }

    private void changeVisibility(QueuedMessage message, Duration after) {
        try {
            parts.queue().changeVisibility(List.of(message), after);
        } catch (RuntimeException e) {
            log.warn("Could not delay message {} ({}); it returns after its visibility timeout",
                    message.messageId(), Secrets.redact(e.getMessage()));
        }
    }

    private static Duration clamp(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(TaskQueue.MAX_VISIBILITY) > 0 ? TaskQueue.MAX_VISIBILITY : d;
    }

    // ------------------------------------------------------------------------------ background

    /** One beat: extends the leases of running tasks and the visibility of their messages. */
    void heartbeat() {
        List<QueuedMessage> running = new ArrayList<>(inFlight.values());
        int leases = parts.processTask().extendLeases(parts.clock().instant());
        if (!running.isEmpty()) {
            for (int i = 0; i < running.size(); i += TaskQueue.MAX_BATCH) {
                parts.queue().changeVisibility(running.subList(i, Math.min(running.size(), i + TaskQueue.MAX_BATCH)),
                        parts.visibility());
            }
        }
        if (leases > 0 || !running.isEmpty()) {
            log.debug("Heartbeat: extended {} leases and {} messages", leases, running.size());
        }
    }

    private void sweep() {
        int redispatched = parts.sweepOnce().getAsInt();
        if (redispatched > 0) {
            parts.metrics().redispatched(redispatched);
            log.info("Sweeper re-dispatched {} stranded tasks", redispatched);
        }
    }

    private void deleteLoop() {
        List<QueuedMessage> batch = new ArrayList<>(TaskQueue.MAX_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                QueuedMessage first = toDelete.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // give a busy worker a moment to fill the batch
                QueuedMessage next;
                while (batch.size() < TaskQueue.MAX_BATCH && (next = toDelete.poll(20, TimeUnit.MILLISECONDS)) != null) {
                    batch.add(next);
                }
                delete(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        delete(batch);
    }

    private void flushDeletes() {
        List<QueuedMessage> rest = new ArrayList<>();
        toDelete.drainTo(rest);
        for (int i = 0; i < rest.size(); i += TaskQueue.MAX_BATCH) {
            delete(rest.subList(i, Math.min(rest.size(), i + TaskQueue.MAX_BATCH)));
        }
    }

    private void delete(List<QueuedMessage> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            parts.queue().delete(List.copyOf(batch));
        } catch (RuntimeException e) {
            // undeleted messages come back and are acknowledged as no-ops then
            log.warn("Could not delete {} messages: {}", batch.size(), Secrets.redact(e.getMessage()));
        }
    }

    private void releaseMessages(List<QueuedMessage> messages) {
        for (int i = 0; i < messages.size(); i += TaskQueue.MAX_BATCH) {
            try {
                parts.queue().changeVisibility(messages.subList(i, Math.min(messages.size(), i + TaskQueue.MAX_BATCH)),
                        Duration.ZERO);
            } catch (RuntimeException e) {
                log.warn("Could not release messages: {}", Secrets.redact(e.getMessage()));
            }
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

    private static boolean awaitQuietly(ExecutorService executor, Duration timeout) {
        try {
            return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
