package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Messages written in the same transaction as the state change they announce (a job's completion),
 * to be delivered later by a relay: take pending rows, publish each, mark it sent.
 *
 * <p>Safe with many relays running: {@link #take} leases the rows it returns, so two relays never
 * hold one row at once; a relay that dies loses its lease and the row is taken again. Delivery is
 * therefore at least once; consumers dedupe on {@link Message#messageId}, which is deterministic
 * (one per job), and FIFO queues get it as their deduplication id.
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
    record Message(long id, String messageId, String destination, String body, int attempts, TraceContext trace) {
        public Message {
            requireNonNull(messageId, "messageId is null");
            requireNonNull(destination, "destination is null");
            requireNonNull(body, "body is null");
        }

        /** A message outside any trace. */
        public Message(long id, String messageId, String destination, String body, int attempts) {
            this(id, messageId, destination, body, attempts, null);
        }

        /** This message continuing {@code trace} instead. */
        public Message withTrace(TraceContext trace) {
            return new Message(id, messageId, destination, body, attempts, trace);
        }
    }

    /** Leases up to {@code limit} unsent messages (oldest first) for {@code leaseFor}. */
    List<Message> take(int limit, String owner, Instant now, Duration leaseFor);

    /** Marks a message sent. Idempotent. */
    void markSent(long id, Instant now);

    /** Records a failed delivery; the message becomes available again after its lease. */
    void markFailed(long id, String error, Instant now);
}
