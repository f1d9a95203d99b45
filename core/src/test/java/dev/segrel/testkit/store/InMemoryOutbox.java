package dev.segrel.testkit.store;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Outbox} in memory, for tests of code that uses it. Thread-safe. */
public final class InMemoryOutbox implements Outbox {

    private static final class Row {
        final long id;
        final String messageId;
        final String destination;
        final String body;
        final Instant createdAt;
        final TraceContext trace;
        Instant availableAt;
        int attempts;
        Instant sentAt;
        String leaseOwner;
        long leaseToken;

        Row(long id, String messageId, String destination, String body, TraceContext trace, Instant availableAt) {
            this.id = id;
            this.trace = trace;
            this.messageId = messageId;
            this.destination = destination;
            this.body = body;
            this.createdAt = availableAt;
            this.availableAt = availableAt;
        }
    }

    private final Map<String, Row> byMessageId = new LinkedHashMap<>();
    private long nextId = 1;

    /** Adds a message unless one with its message id exists (as the table's unique key does). */
    public synchronized void add(String messageId, String destination, String body, Instant now) {
        add(messageId, destination, body, null, now);
    }

    /** As {@link #add(String, String, String, Instant)}, the message continuing {@code trace} (null: none). */
    public synchronized void add(String messageId, String destination, String body, TraceContext trace, Instant now) {
        byMessageId.computeIfAbsent(messageId, m -> new Row(nextId++, m, destination, body, trace, now));
    }

    /** Forgets the message with this id (a reprocessed job announces itself again). */
    public synchronized void remove(String messageId) {
        byMessageId.remove(messageId);
    }

    /**
     * Adds the next announcement of {@code baseId}: under {@code baseId} itself the first time, then
     * {@code baseId:a<n>} for the n-th (as the store's completion statement names them).
     */
    public synchronized void announce(String baseId, String destination, String body, TraceContext trace, Instant now) {
        long prior = byMessageId.keySet().stream().filter(id -> id.equals(baseId) || id.startsWith(baseId + ":a")).count();
        add(prior == 0 ? baseId : baseId + ":a" + (prior + 1), destination, body, trace, now);
    }

    /** Forgets the unsent announcements of {@code baseId} (a reprocessed job announces itself again). */
    public synchronized void removeUnsent(String baseId) {
        byMessageId.values().removeIf(r -> r.sentAt == null
                && (r.messageId.equals(baseId) || r.messageId.startsWith(baseId + ":a")));
    }

    /** Every message ever added and not removed, sent or not. */
    public synchronized List<Message> all() {
        return byMessageId.values().stream().map(InMemoryOutbox::message).toList();
    }

    @Override
    public synchronized List<Message> take(int limit, String owner, Instant now, Duration leaseFor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        requireNonNull(owner, "owner is null");
        List<Message> out = new ArrayList<>();
        byMessageId.values().stream()
                .filter(r -> r.sentAt == null && !r.availableAt.isAfter(now))
                .sorted((a, b) -> a.availableAt.equals(b.availableAt)
                        ? Long.compare(a.id, b.id)
                        : a.availableAt.compareTo(b.availableAt))
                .limit(limit)
                .forEach(r -> {
                    r.availableAt = now.plus(leaseFor);
                    r.leaseOwner = owner;
                    r.leaseToken++;
                    out.add(message(r));
                });
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    @Override
    public synchronized Fenced renew(Message taken, String owner, Instant now, Duration leaseFor) {
        Optional<Row> row = held(taken, owner).filter(r -> r.sentAt == null);
        row.ifPresent(r -> r.availableAt = now.plus(leaseFor));
        return row.isPresent() ? new Held() : new LeaseLost();
    }

    @Override
    public synchronized Fenced markSent(Message taken, String owner, Instant now) {
        Optional<Row> row = held(taken, owner);
        row.filter(r -> r.sentAt == null).ifPresent(r -> r.sentAt = now);
        return row.isPresent() ? new Held() : new LeaseLost();
    }

    @Override
    public synchronized Fenced markFailed(Message taken, String owner, String error, Instant now, Instant retryAt) {
        Optional<Row> row = held(taken, owner).filter(r -> r.sentAt == null);
        row.ifPresent(r -> {
            r.attempts++;
            r.leaseOwner = null;
            r.availableAt = retryAt;
        });
        return row.isPresent() ? new Held() : new LeaseLost();
    }

    @Override
    public synchronized long stuck() {
        return byMessageId.values().stream()
                .filter(r -> r.sentAt == null && r.attempts >= STUCK_AFTER_ATTEMPTS)
                .count();
    }

    @Override
    public synchronized long stuckOf(JobId job) {
        return byMessageId.values().stream()
                .filter(r -> r.sentAt == null && r.attempts >= STUCK_AFTER_ATTEMPTS)
                .filter(r -> r.messageId.startsWith("job-completed:" + job) || r.messageId.startsWith("batch-completed:" + job + ":"))
                .count();
    }

    /** The row of a taken message while its taker holds it (a sent row stays with the relay that sent it). */
    private Optional<Row> held(Message taken, String owner) {
        requireNonNull(taken, "taken is null");
        requireNonNull(owner, "owner is null");
        return byMessageId.values().stream()
                .filter(r -> r.id == taken.id() && r.leaseToken == taken.leaseToken()
                        && owner.equals(r.leaseOwner))
                .findFirst();
    }

    /** Messages not sent yet. */
    public synchronized long pending() {
        return byMessageId.values().stream().filter(r -> r.sentAt == null).count();
    }

    /** When the oldest message not sent yet was written; empty when none is pending. */
    public synchronized Optional<Instant> oldestPendingSince() {
        return byMessageId.values().stream().filter(r -> r.sentAt == null).map(r -> r.createdAt).min(Instant::compareTo);
    }

    private static Message message(Row r) {
        return new Message(r.id, r.messageId, r.destination, r.body, r.attempts, r.trace, r.leaseToken);
    }
}
