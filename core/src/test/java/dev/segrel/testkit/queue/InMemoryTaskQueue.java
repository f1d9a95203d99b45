package dev.segrel.testkit.queue;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.TaskQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link TaskQueue} and its {@link QueueAdmin} in memory, with SQS's delivery model: visibility timeouts, receipt handles
 * rotated on every receive, receive counts, an optional redrive to the dead-letter queue after
 * {@code maxReceiveCount} receives. Passes {@code TaskQueueContract} and {@code QueueAdminContract}.
 *
 * <p>Visibility is measured on the injected {@link Clock}, so a test moves the clock instead of
 * waiting. The long-poll wait of {@link #receive} is real time (it is a wait for other threads);
 * a waiting receive wakes up when a message is sent or released, not when the clock moves.
 *
 * <p>Thread-safe (one lock). Stats are exact.
 */
public final class InMemoryTaskQueue implements TaskQueue, QueueAdmin {

    /** Where this queue says it is. */
    public static final String URL = "memory://segrel-tasks";

    private static final class Entry {
        final String messageId;
        final String body;
        final Instant sentAt;
        final TraceContext trace;
        int receiveCount;
        String receiptHandle;
        Instant invisibleUntil;

        Entry(String messageId, String body, Instant sentAt, TraceContext trace) {
            this.trace = trace;
            this.messageId = messageId;
            this.body = body;
            this.sentAt = sentAt;
        }
    }

    private final Clock clock;
    private final Duration visibility;
    private final boolean hasDeadLetterQueue;
    private final int maxReceiveCount;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Map<String, Entry> messages = new LinkedHashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    private InMemoryTaskQueue(Clock clock, Duration visibility, boolean hasDeadLetterQueue, int maxReceiveCount) {
        this.clock = requireNonNull(clock, "clock is null");
        this.visibility = requireNonNull(visibility, "visibility is null");
        checkVisibility(visibility);
        this.hasDeadLetterQueue = hasDeadLetterQueue;
        this.maxReceiveCount = maxReceiveCount;
    }

    /** A queue with a dead-letter queue and no automatic redrive. */
    public static InMemoryTaskQueue create(Clock clock, Duration visibility) {
        return new InMemoryTaskQueue(clock, visibility, true, 0);
    }

    /** A queue whose messages move to the dead-letter queue when received more than {@code maxReceiveCount} times. */
    public static InMemoryTaskQueue withRedrive(Clock clock, Duration visibility, int maxReceiveCount) {
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxReceiveCount must be >= 1, was " + maxReceiveCount);
        }
        return new InMemoryTaskQueue(clock, visibility, true, maxReceiveCount);
    }

    /** A queue without a dead-letter queue: {@link #deadLetter} throws. */
    public static InMemoryTaskQueue withoutDeadLetterQueue(Clock clock, Duration visibility) {
        return new InMemoryTaskQueue(clock, visibility, false, 0);
    }

    @Override
    public List<QueuedMessage> receive(int max, Duration wait) {
        checkMax(max);
        checkWait(wait);
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (true) {
                List<QueuedMessage> got = takeVisible(max);
                long remaining = deadline - System.nanoTime();
                if (!got.isEmpty() || remaining <= 0) {
                    return got;
                }
                try {
                    arrived.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private List<QueuedMessage> takeVisible(int max) {
        Instant now = clock.instant();
        List<QueuedMessage> got = new ArrayList<>();
        Iterator<Entry> it = messages.values().iterator();
        while (it.hasNext() && got.size() < max) {
            Entry e = it.next();
            if (e.invisibleUntil != null && now.isBefore(e.invisibleUntil)) {
                continue;
            }
            if (maxReceiveCount > 0 && e.receiveCount >= maxReceiveCount) {
                it.remove();
                deadLetters.add(new DeadLetter(e.messageId, e.body, null, e.receiveCount, e.sentAt));
                continue;
            }
            e.receiveCount++;
            e.receiptHandle = UUID.randomUUID().toString();
            e.invisibleUntil = now.plus(visibility);
            got.add(new QueuedMessage(e.messageId, e.receiptHandle, e.body, e.receiveCount, e.sentAt, e.trace));
        }
        return got;
    }

    @Override
    public void delete(List<QueuedMessage> toDelete) {
        requireNonNull(toDelete, "messages is null");
        lock.lock();
        try {
            for (QueuedMessage m : toDelete) {
                Entry e = current(m);
                if (e != null) {
                    messages.remove(e.messageId);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void changeVisibility(List<QueuedMessage> toChange, Duration newVisibility) {
        requireNonNull(toChange, "messages is null");
        checkVisibility(newVisibility);
        lock.lock();
        try {
            Instant now = clock.instant();
            for (QueuedMessage m : toChange) {
                Entry e = current(m);
                if (e != null && e.invisibleUntil != null && now.isBefore(e.invisibleUntil)) {
                    e.invisibleUntil = now.plusSeconds(newVisibility.toSeconds());
                }
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The entry the message's handle is current for, or null when the handle is stale. */
    private Entry current(QueuedMessage m) {
        Entry e = messages.get(m.messageId());
        return e != null && m.receiptHandle().equals(e.receiptHandle) ? e : null;
    }

    @Override
    public void deadLetter(QueuedMessage message, String reason) {
        requireNonNull(message, "message is null");
        requireNonNull(reason, "reason is null");
        if (!hasDeadLetterQueue) {
            throw new IllegalStateException("this queue has no dead-letter queue");
        }
        lock.lock();
        try {
            String cut = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
            deadLetters.add(new DeadLetter(message.messageId(), message.body(), cut, message.receiveCount(),
                    message.sentAt()));
            Entry e = current(message);
            if (e != null) {
                messages.remove(e.messageId);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(List<String> bodies) {
        send(bodies, null);
    }

    @Override
    public void send(List<String> bodies, TraceContext trace) {
        requireNonNull(bodies, "bodies is null");
        checkBodies(bodies);
        lock.lock();
        try {
            Instant now = clock.instant();
            for (String body : bodies) {
                String id = UUID.randomUUID().toString();
                messages.put(id, new Entry(id, body, now, trace));
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public QueueStats stats() {
        lock.lock();
        try {
            Instant now = clock.instant();
            long inFlight = messages.values().stream()
                    .filter(e -> e.invisibleUntil != null && now.isBefore(e.invisibleUntil))
                    .count();
            return new QueueStats(messages.size() - inFlight, inFlight, 0,
                    hasDeadLetterQueue ? OptionalLong.of(deadLetters.size()) : OptionalLong.empty());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void purge() {
        lock.lock();
        try {
            messages.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String queueUrl() {
        return URL;
    }

    @Override
    public Optional<String> deadLetterQueueUrl() {
        return hasDeadLetterQueue ? Optional.of(URL + "-dlq") : Optional.empty();
    }

    @Override
    public List<DeadLetter> peekDeadLetters(int max) {
        checkDeadLetterMax(max);
        lock.lock();
        try {
            return List.copyOf(deadLetters.subList(0, Math.min(max, deadLetters.size())));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int redriveDeadLetters(int max) {
        checkDeadLetterMax(max);
        lock.lock();
        try {
            int moved = Math.min(max, deadLetters.size());
            Instant now = clock.instant();
            for (DeadLetter d : List.copyOf(deadLetters.subList(0, moved))) {
                String id = UUID.randomUUID().toString();
                messages.put(id, new Entry(id, d.body(), now, null));
            }
            deadLetters.subList(0, moved).clear();
            arrived.signalAll();
            return moved;
        } finally {
            lock.unlock();
        }
    }

    private void checkDeadLetterMax(int max) {
        if (!hasDeadLetterQueue) {
            throw new IllegalStateException("this queue has no dead-letter queue");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
    }

    /** Everything dead-lettered so far, oldest first. */
    public List<DeadLetter> deadLetters() {
        lock.lock();
        try {
            return List.copyOf(deadLetters);
        } finally {
            lock.unlock();
        }
    }

    // -------------------------------------------------------------- argument checks (as SQS)

    static void checkMax(int max) {
        if (max < 1 || max > MAX_BATCH) {
            throw new IllegalArgumentException("max must be in 1.." + MAX_BATCH + ", was " + max);
        }
    }

    static void checkWait(Duration wait) {
        requireNonNull(wait, "wait is null");
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("wait must be in 0.." + MAX_WAIT.toSeconds() + " seconds, was " + wait);
        }
    }

    static void checkVisibility(Duration visibility) {
        requireNonNull(visibility, "visibility is null");
        if (visibility.isNegative() || visibility.compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("visibility must be in 0.." + MAX_VISIBILITY.toSeconds()
                    + " seconds, was " + visibility);
        }
    }

    static void checkBodies(List<String> bodies) {
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            if (body == null || body.isEmpty()) {
                throw new IllegalArgumentException("bodies[" + i + "] is " + (body == null ? "null" : "empty"));
            }
        }
    }
}
