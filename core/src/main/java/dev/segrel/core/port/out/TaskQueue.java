package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The queue of task messages (SQS in production): what the worker receives, acknowledges,
 * postpones and dead-letters, and what producers and the sweeper send to. Counting and emptying
 * the queue are the operators' {@link QueueAdmin}.
 *
 * <p><b>Delivery model</b> (SQS's, which in-memory fakes reproduce): a sent message is
 * <i>visible</i>; {@link #receive} makes it <i>in flight</i> (invisible) for the queue's
 * visibility timeout and hands out a fresh {@link QueuedMessage#receiptHandle() receipt handle};
 * when the timeout passes without a {@link #delete} the message becomes visible again and is
 * delivered again with {@link QueuedMessage#receiveCount()} one higher. Delivery is therefore at
 * least once, in no guaranteed order; consumers must be idempotent. A queue may move a message
 * that was received too often to its dead-letter queue by itself (SQS redrive policy).
 *
 * <p><b>Receipt handles.</b> Only the handle of the latest receive is current. {@link #delete} and
 * {@link #changeVisibility} with a stale handle (the message was redelivered since, or already
 * deleted) neither fail nor report: the message is handled by whoever received it last, and
 * idempotent processing makes the outcome the same. They may or may not act on the message.
 *
 * <p><b>Batches.</b> Methods taking lists accept any number of entries and group them in batches of
 * {@value #MAX_BATCH}, one round trip each; an empty list costs nothing.
 *
 * <p><b>Blocking.</b> Every method blocks the calling thread until the queue answered.
 * {@link #receive} additionally waits (long polling) up to its {@code wait} for a first message.
 * Interrupting a thread blocked in {@link #receive} makes it return promptly, with what it has
 * (usually nothing) and the thread's interrupt status set: this is how a worker stops receiving
 * at shutdown.
 *
 * <p><b>Threads.</b> Implementations are safe for concurrent use by many threads (a worker
 * typically runs several receivers and many processors on one instance).
 *
 * <p><b>Errors.</b> {@link QueueUnavailableException} (and its {@link PartialSendException}) is
 * transient: the queue could not be reached, throttled, or failed; retry later. Invalid arguments
 * throw {@link IllegalArgumentException}; {@link #deadLetter} on a queue without a dead-letter queue
 * throws {@link IllegalStateException}. Implementations never log or throw credentials.
 *
 * <p><b>Lifecycle.</b> Implementations hold no long-lived threads (a call may use a short-lived one,
 * e.g. to make a long poll interruptible); closing the underlying client (if any) is the owner's
 * job, after the last call returned.
 */
public interface TaskQueue {

    /** Most messages per receive and per batch request (SQS's limit). */
    int MAX_BATCH = 10;

    /**
     * Most bytes of one message, and of one batch request in all (SQS's limit, 256 KiB: bodies in UTF-8
     * plus attribute names, types and values). Producers of large bodies keep each under it.
     */
    int MAX_MESSAGE_BYTES = 262_144;

    /** Longest {@link #receive} wait (SQS's limit). */
    Duration MAX_WAIT = Duration.ofSeconds(20);

    /** Longest visibility timeout (SQS's limit: 12 hours). */
    Duration MAX_VISIBILITY = Duration.ofHours(12);

    /**
     * A received message.
     *
     * @param messageId the queue's id of the message; the same on every delivery
     * @param receiptHandle the handle of this delivery, for {@link #delete} and {@link #changeVisibility}
     * @param body the body, as sent
     * @param receiveCount how many times the message has been received, this time included (1 the first time)
     * @param sentAt when the message was first sent to the queue
     * @param trace the producer's trace context (message attributes {@code traceparent}, {@code tracestate});
     *     null when it sent none
     */
    record QueuedMessage(String messageId, String receiptHandle, String body, int receiveCount, Instant sentAt,
            TraceContext trace) {
        public QueuedMessage {
            requireNonNull(messageId, "messageId is null");
            requireNonNull(receiptHandle, "receiptHandle is null");
            requireNonNull(body, "body is null");
            requireNonNull(sentAt, "sentAt is null");
            if (receiveCount < 1) {
                throw new IllegalArgumentException("receiveCount must be >= 1, was " + receiveCount);
            }
        }

        /** A message sent without a trace context. */
        public QueuedMessage(String messageId, String receiptHandle, String body, int receiveCount, Instant sentAt) {
            this(messageId, receiptHandle, body, receiveCount, sentAt, null);
        }

        /** Without the body and handle, which may be large or sensitive. */
        @Override
        public String toString() {
            return "QueuedMessage[" + messageId + ", receiveCount=" + receiveCount + ", sentAt=" + sentAt + "]";
        }
    }

    /**
     * Receives up to {@code max} visible messages, making them in flight for the queue's visibility
     * timeout. When none is visible, waits up to {@code wait} for one (long polling) and returns as
     * soon as at least one arrived; may return fewer than are visible. Returns an empty list when
     * the wait passed, or at once (interrupt status set) when the thread is interrupted.
     *
     * @param max 1 to {@value #MAX_BATCH}
     * @param wait {@link Duration#ZERO} to {@link #MAX_WAIT}; whole seconds count (SQS granularity)
     * @throws QueueUnavailableException when the queue cannot be reached
     */
    List<QueuedMessage> receive(int max, Duration wait);

    /**
     * Acknowledges messages: they are never delivered again. Stale handles are ignored (see above).
     *
     * @throws QueueUnavailableException when the queue cannot be reached or failed some entries
     *     for a reason other than a stale handle; entries that succeeded stay deleted
     */
    void delete(List<QueuedMessage> messages);

    /**
     * Sets how long from now the messages stay invisible: extends a lease while a task takes long
     * (heartbeat), postpones a retry (backoff), or, with {@link Duration#ZERO}, releases them so
     * that they can be received again at once (shutdown). Stale handles are ignored.
     *
     * @param visibility {@link Duration#ZERO} to {@link #MAX_VISIBILITY}; whole seconds count
     * @throws QueueUnavailableException as for {@link #delete}
     */
    void changeVisibility(List<QueuedMessage> messages, Duration visibility);

    /**
     * Moves a message to the dead-letter queue: sends its body there with the {@code reason} (one
     * line; truncated to 1,000 characters) as the string message attribute
     * {@value #DEAD_LETTER_REASON_ATTRIBUTE}, then deletes the original. If the delete fails the
     * message is in both queues and may be dead-lettered again on redelivery (at least once).
     *
     * @throws IllegalStateException when the queue has no dead-letter queue
     * @throws QueueUnavailableException when either queue cannot be reached
     */
    void deadLetter(QueuedMessage message, String reason);

    /** The message attribute holding the reason of {@link #deadLetter}. */
    String DEAD_LETTER_REASON_ATTRIBUTE = "segrel_dead_letter_reason";

    /**
     * Sends bodies (each becomes one visible message), in batch requests of at most {@value #MAX_BATCH}
     * messages and {@value #MAX_MESSAGE_BYTES} bytes. Returns when every body was accepted.
     *
     * @throws PartialSendException when some bodies were not sent; it lists which, by index (a body over
     *     {@value #MAX_MESSAGE_BYTES} bytes alone is never sent, and listed with that reason)
     * @throws QueueUnavailableException when the queue cannot be reached (some earlier batches may
     *     have been sent: resending all is safe for idempotent task messages)
     * @throws IllegalArgumentException when a body is empty (SQS rejects empty bodies)
     */
    void send(List<String> bodies);

    /**
     * As {@link #send(List)}, every message carrying {@code trace} (null: none) as its string message
     * attributes {@value TraceContext#TRACEPARENT} and {@value TraceContext#TRACESTATE}, which
     * {@link #receive} gives back in {@link QueuedMessage#trace()}. The default drops the context: a
     * queue without message attributes.
     */
    default void send(List<String> bodies, TraceContext trace) {
        send(bodies);
    }
}
