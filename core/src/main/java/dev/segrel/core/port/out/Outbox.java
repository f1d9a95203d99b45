package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Messages written in the same transaction as the state change they announce (a job's completion),
 * to be delivered later by a relay: take pending rows, publish each, mark it sent.
 *
 * <p>Safe with many relays running: {@link #take} leases the rows it returns, so two relays never
 * hold one row at once; a relay that dies loses its lease and the row is taken again. Every take
 * gives the row a new {@link Message#leaseToken() lease token}, and {@link #renew}, {@link #markSent}
 * and {@link #markFailed} succeed only for the relay that still holds that token: a relay whose lease
 * ran out and whose row another relay took learns it ({@link LeaseLost}) instead of overwriting the
 * other's state. Delivery is at least once; consumers dedupe on {@link Message#messageId}, which is
 * fixed when the row is written (one per announcement) and so stable across retries, and FIFO queues
 * get it as their deduplication id.
 *
 * <p>A failed row comes back at the time its relay gives ({@code retryAt}: the relay's backoff). A row
 * that failed {@link #STUCK_AFTER_ATTEMPTS} times is <em>stuck</em>: it is kept and still retried, rarely,
 * and shown by {@code job status}, {@code doctor} and the {@code segrel.outbox.stuck} gauge.
 *
 * <p>Thread-safe. Faults of the store throw {@link StoreUnavailableException} (transient).
 */
public interface Outbox {

    /**
     * A message to send.
     *
     * @param id the row id
     * @param messageId deterministic id of the message (e.g. {@code job-completed:<job_id>})
     * @param destination logical destination (e.g. {@code completed})
     * @param body the JSON body
     * @param attempts delivery attempts before this one
     * @param trace the trace the message continues (the span that stored the change it announces), or
     *     null; the publisher sends it on as the message's {@code traceparent}
     */
    record Message(long id, String messageId, String destination, String body, int attempts, TraceContext trace,
            long leaseToken) {
        public Message {
            requireNonNull(messageId, "messageId is null");
            requireNonNull(destination, "destination is null");
            requireNonNull(body, "body is null");
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
            }
        }

        /** A message not taken by any relay (lease token 0). */
        public Message(long id, String messageId, String destination, String body, int attempts, TraceContext trace) {
            this(id, messageId, destination, body, attempts, trace, 0);
        }

        /** A message outside any trace. */
        public Message(long id, String messageId, String destination, String body, int attempts) {
            this(id, messageId, destination, body, attempts, null);
        }

        /** This message continuing {@code trace} instead. */
        public Message withTrace(TraceContext trace) {
            return new Message(id, messageId, destination, body, attempts, trace, leaseToken);
        }
    }

    /** Failed deliveries after which a row is stuck (kept, retried rarely, reported). */
    int STUCK_AFTER_ATTEMPTS = 8;

    /** What a fenced write of a relay did. */
    sealed interface Fenced permits Held, LeaseLost {}

    /** The caller held the row's lease; the write is done. */
    record Held() implements Fenced {}

    /** Another relay took the row since (or it is gone): nothing was written. */
    record LeaseLost() implements Fenced {}

    /**
     * Leases up to {@code limit} unsent messages whose time has come (oldest first) for {@code leaseFor}
     * to {@code owner}, each with a new lease token.
     */
    List<Message> take(int limit, String owner, Instant now, Duration leaseFor);

    /** Extends the lease of a taken message to {@code now + leaseFor}, if {@code owner} still holds it. */
    Fenced renew(Message taken, String owner, Instant now, Duration leaseFor);

    /**
     * Marks a taken message sent, if {@code owner} still holds its lease. Idempotent for the holder (a
     * repeat after a lost reply is {@link Held}); a sent row is never taken again.
     */
    Fenced markSent(Message taken, String owner, Instant now);

    /**
     * Records a failed delivery of a taken message (one attempt more, the error kept) and gives it back
     * until {@code retryAt}, if {@code owner} still holds its lease.
     */
    Fenced markFailed(Message taken, String owner, String error, Instant now, Instant retryAt);

    /** Unsent messages that failed at least {@link #STUCK_AFTER_ATTEMPTS} times. */
    long stuck();

    /**
     * The stuck messages ({@link #stuck()}) announcing {@code job} or its batches, by message id (ids
     * start with {@code job-completed:<job>} or {@code batch-completed:<job>:}).
     */
    long stuckOf(JobId job);
}
