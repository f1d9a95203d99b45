package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.HandleTaskMessage.Handled;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import dev.segrel.core.port.out.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive loops: each receives at most as many messages as there are free permits (a message is
 * never held invisible by a busy worker). The messages of a receive, with those of any receive that
 * arrives within {@link #LINGER} of it, are handed to the use case as one group on a virtual thread
 * (their single-segment tasks are claimed and stored as one set), and each message's disposition is
 * acted on: acknowledge, make it visible again later, or move it to the dead-letter queue. A message
 * never crashes a loop: a failure leaves its messages to come back.
 */
final class Receiver {

    private static final Logger log = LoggerFactory.getLogger(Receiver.class);
    private static final Duration RECEIVE_BACKOFF = Duration.ofSeconds(1);
    /** How long a receive's messages wait for those of another receive loop, to be handled as one group. */
    static final Duration LINGER = Duration.ofMillis(2);

    private final TaskQueue queue;
    private final HandleTaskMessage handler;
    private final Acknowledgements acks;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final String workerId;
    private final Duration receiveWait;
    private final Semaphore permits;
    private final int loops;
    private final Map<String, QueuedMessage> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean receiving = new AtomicBoolean();
    private final CountDownLatch done;
    private final ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor();
    private final Object grouping = new Object();
    /** Received, waiting up to {@link #LINGER} for more before they are handled as one group. */
    private List<QueuedMessage> gathering = new ArrayList<>();
    private volatile boolean healthy = true;
    private final List<Thread> threads = new ArrayList<>();
    /** Told when a group may have finished a job or a batch (its completion message is in the outbox). */
    private final Runnable onFinished;
    private final Tracing tracing;
    private final String queueName;

    Receiver(TaskQueue queue, HandleTaskMessage handler, Acknowledgements acks, WorkerMetrics metrics, Clock clock,
            String workerId, int concurrency, int loops, Duration receiveWait, Runnable onFinished, Tracing tracing,
            String queueName) {
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.queueName = requireNonNull(queueName, "queueName is null");
        this.onFinished = requireNonNull(onFinished, "onFinished is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.acks = requireNonNull(acks, "acks is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.workerId = requireNonNull(workerId, "workerId is null");
        this.receiveWait = requireNonNull(receiveWait, "receiveWait is null");
        this.permits = new Semaphore(concurrency);
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be >= 1, was " + loops);
        }
        this.loops = loops;
        this.done = new CountDownLatch(loops);
    }

    void start() {
        receiving.set(true);
        for (int i = 0; i < loops; i++) {
            threads.add(Thread.ofPlatform().name("segrel-receiver-" + i).start(this::loop));
        }
    }

    /** True while every loop runs, or before they started, or once they were asked to stop (liveness). */
    boolean isLive() {
        return healthy && (threads.isEmpty() || done.getCount() == loops || !receiving.get());
    }

    /** The messages being handled now. */
    Collection<QueuedMessage> inFlight() {
        return inFlight.values();
    }

    /** Stops receiving; what a receive under way brings is given back. */
    void stopReceiving() {
        receiving.set(false);
        tasks.shutdown();
    }

    /** Waits up to {@code timeout} for the messages in hand to finish; true when they all did. */
    boolean awaitTasks(Duration timeout) {
        try {
            return tasks.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back what is still in hand (lease released, message visible at once) and stops its threads. */
    List<QueuedMessage> abandonInFlight() {
        List<QueuedMessage> unfinished = new ArrayList<>(inFlight.values());
        releaseMessages(unfinished);
        tasks.shutdownNow();
        return unfinished;
    }

    /** Waits up to {@code timeout} for the loop to end (a receive in progress returns within its wait). */
    void awaitStopped(Duration timeout) {
        try {
            done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
    }

    private void loop() {
        try {
            while (receiving.get()) {
                int wanted = acquirePermits();
                if (wanted > 0) {
                    receiveAndDispatch(wanted);
                }
            }
        } catch (RuntimeException e) {
            healthy = false;
            log.error("Receive loop died", e);
        } finally {
            done.countDown();
        }
    }

    private void receiveAndDispatch(int wanted) {
        List<QueuedMessage> messages;
        try {
            messages = queue.receive(wanted, receiveWait);
        } catch (RuntimeException e) {
            permits.release(wanted);
            log.warn("Receive failed, backing off: {}", Secrets.redact(String.valueOf(e.getMessage())));
            pause(RECEIVE_BACKOFF);
            return;
        }
        permits.release(wanted - messages.size());
        if (messages.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Instant newest = messages.stream().map(QueuedMessage::sentAt).max(Instant::compareTo).orElse(now);
        metrics.received(messages.size(), Duration.between(newest, now));
        if (!receiving.get()) {
            releaseMessages(messages);
            permits.release(messages.size());
            return;
        }
        for (QueuedMessage message : messages) {
            inFlight.put(message.receiptHandle(), message);
        }
        gather(messages);
    }

    /**
     * The first receive of a group waits {@link #LINGER} for the receives of the other loops; with one
     * loop, or a full group, it is handled at once.
     */
    private void gather(List<QueuedMessage> messages) {
        List<QueuedMessage> group = null;
        boolean first;
        synchronized (grouping) {
            first = gathering.isEmpty();
            gathering.addAll(messages);
            if (loops == 1 || gathering.size() >= TaskQueue.MAX_BATCH * loops) {
                group = gathering;
                gathering = new ArrayList<>();
            }
        }
        if (group != null) {
            dispatch(group);
        } else if (first) {
            try {
                tasks.execute(() -> {
                    pause(LINGER);
                    List<QueuedMessage> lingered;
                    synchronized (grouping) {
                        lingered = gathering;
                        gathering = new ArrayList<>();
                    }
                    if (!lingered.isEmpty()) {
                        handleGroup(lingered);
                    }
                });
            } catch (RejectedExecutionException e) {
                List<QueuedMessage> left;
                synchronized (grouping) {
                    left = gathering;
                    gathering = new ArrayList<>();
                }
                giveBack(left);
            }
        }
    }

    private void dispatch(List<QueuedMessage> group) {
        try {
            tasks.execute(() -> handleGroup(group));
        } catch (RejectedExecutionException e) {
            // stopping began between the check and here: give the messages back
            giveBack(group);
        }
    }

    private void giveBack(List<QueuedMessage> group) {
        for (QueuedMessage message : group) {
            inFlight.remove(message.receiptHandle());
        }
        releaseMessages(group);
        permits.release(group.size());
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

    private void handleGroup(List<QueuedMessage> group) {
        Instant began = clock.instant();
        for (int i = 0; i < group.size(); i++) {
            metrics.started();
        }
        try {
            List<HandleTaskMessage.Message> messages = new ArrayList<>(group.size());
            for (QueuedMessage message : group) {
                messages.add(new HandleTaskMessage.Message(message.messageId(), message.body(), workerId,
                        received(message, group.size())));
            }
            List<Handled> handled = handler.handleAll(messages);
            boolean finishing = false;
            for (int i = 0; i < group.size(); i++) {
                act(group.get(i), handled.get(i));
                finishing |= mayHaveFinished(handled.get(i));
            }
            if (finishing) {
                onFinished.run();
            }
        } catch (RuntimeException e) {
            // never crash on a message: they come back after their visibility timeout
            log.error("Unexpected failure on {} message(s) ({}, ...); they will be retried", group.size(),
                    group.get(0).messageId(), e);
            for (int i = 0; i < group.size(); i++) {
                metrics.retried(null);
            }
        } finally {
            Duration took = Duration.between(began, clock.instant());
            for (QueuedMessage message : group) {
                inFlight.remove(message.receiptHandle());
                metrics.finished(took);
            }
            permits.release(group.size());
        }
    }

    /**
     * The message's receive span, a child of its producer's context (a new trace when it carries none);
     * its processing continues the returned context (null when tracing is off).
     */
    private TraceContext received(QueuedMessage message, int count) {
        try (Tracing.TraceSpan span = tracing.start("receive", message.trace(), List.of())) {
            return span.attribute("messaging.system", "aws_sqs")
                    .attribute("messaging.operation.type", "receive")
                    .attribute("messaging.destination.name", queueName)
                    .attribute("messaging.batch.message_count", count)
                    .attribute("messaging.message.id", message.messageId())
                    .attribute("segrel.receive_count", message.receiveCount())
                    .context();
        }
    }

    /** A task that finished its job, or a batch message whose every segment is now terminal. */
    private static boolean mayHaveFinished(Handled handled) {
        for (ProcessTask.Outcome outcome : handled.outcomes()) {
            if (outcome instanceof ProcessTask.Done done && done.jobFinished()
                    || outcome instanceof ProcessTask.Failed failed && failed.jobFinished()) {
                return true;
            }
        }
        return handled.outcomes().size() > 1 && !(handled.disposition() instanceof HandleTaskMessage.RetryAfter);
    }

    private void act(QueuedMessage message, Handled handled) {
        metrics.outcomes(handled);
        switch (handled.disposition()) {
            case HandleTaskMessage.Acknowledge ack -> acks.acknowledge(message);
            case HandleTaskMessage.RetryAfter retry -> changeVisibility(message, retry.after());
            case HandleTaskMessage.DeadLetter dead -> deadLetter(message, dead, handled);
        }
    }

    private void deadLetter(QueuedMessage message, HandleTaskMessage.DeadLetter dead, Handled handled) {
        if (dead.poison()) {
            metrics.poison();
        }
        try {
            queue.deadLetter(message, dead.reason());
            metrics.deadLettered(dead, handled);
        } catch (IllegalStateException noDeadLetterQueue) {
            // recorded in segrel_rejected_message before: deleting it keeps it from being received forever
            log.warn("No dead-letter queue: message {} was recorded as rejected and is deleted ({})",
                    message.messageId(), dead.reason());
            acks.acknowledge(message);
        } catch (RuntimeException e) {
            // not moved: it comes back and is refused again
            log.error("Could not dead-letter message {}: {}", message.messageId(),
                    Secrets.redact(String.valueOf(e.getMessage())));
        }
    }

    private void changeVisibility(QueuedMessage message, Duration after) {
        try {
            queue.changeVisibility(List.of(message), after);
        } catch (RuntimeException e) {
            log.warn("Could not delay message {} ({}); it returns after its visibility timeout",
                    message.messageId(), Secrets.redact(String.valueOf(e.getMessage())));
        }
    }

    private void releaseMessages(List<QueuedMessage> messages) {
        for (int i = 0; i < messages.size(); i += TaskQueue.MAX_BATCH) {
            try {
                queue.changeVisibility(messages.subList(i, Math.min(messages.size(), i + TaskQueue.MAX_BATCH)),
                        Duration.ZERO);
            } catch (RuntimeException e) {
                log.warn("Could not release messages: {}", Secrets.redact(String.valueOf(e.getMessage())));
            }
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
