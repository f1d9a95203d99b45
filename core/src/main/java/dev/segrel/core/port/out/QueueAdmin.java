package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What operators do to the task queue and its dead-letter queue: count, empty, look at the dead
 * letters and move them back (what {@code purge_sqs.py} and the AWS console did). Workers consume
 * through {@link TaskQueue} and use only {@link #stats()} here (the backlog gauges, the sweeper).
 *
 * <p><b>Blocking.</b> Every method blocks until the queue answered. <b>Threads.</b> Safe for concurrent
 * use. <b>Errors.</b> {@link QueueUnavailableException} is transient; the dead-letter methods throw
 * {@link IllegalStateException} when the queue has no dead-letter queue. Never logs or throws credentials.
 */
public interface QueueAdmin {

    /**
     * Approximate counts (SQS's own counts lag by up to a minute; fakes are exact).
     *
     * @param visible messages available to receive
     * @param inFlight messages received and neither deleted nor visible again
     * @param delayed messages sent with a delay not yet passed
     * @param deadLetterVisible the dead-letter queue's visible messages; empty when there is none
     */
    record QueueStats(long visible, long inFlight, long delayed, OptionalLong deadLetterVisible) {
        public QueueStats {
            requireNonNull(deadLetterVisible, "deadLetterVisible is null");
        }
    }

    /**
     * A message of the dead-letter queue.
     *
     * @param reason why segrel dead-lettered it ({@value TaskQueue#DEAD_LETTER_REASON_ATTRIBUTE}), or
     *     null when the queue moved it by its redrive policy (received too often)
     * @param receiveCount receives in the task queue before it came here, when known, else in this queue
     */
    record DeadLetter(String messageId, String body, String reason, int receiveCount, Instant sentAt) {
        public DeadLetter {
            requireNonNull(messageId, "messageId is null");
            requireNonNull(body, "body is null");
            requireNonNull(sentAt, "sentAt is null");
        }
    }

    /** Where the task queue is, safe to show (a URL holds no credentials). */
    String queueUrl();

    /** Where its dead-letter queue is; empty when it has none. */
    Optional<String> deadLetterQueueUrl();

    /** Current approximate counts of the queue and its dead-letter queue. */
    QueueStats stats();

    /**
     * Deletes every message of the queue (not of its dead-letter queue). On SQS this takes up to 60
     * seconds to take full effect and may be called once per 60 seconds; a second call within that
     * time throws {@link QueueUnavailableException}.
     */
    void purge();

    /**
     * Up to {@code max} dead letters, left in their queue. On SQS a look counts as a receive (there is
     * no true peek): the messages are made visible again at once.
     */
    List<DeadLetter> peekDeadLetters(int max);

    /**
     * Moves up to {@code max} dead letters back to the task queue, bodies unchanged (segrel's reason
     * attribute dropped): each is sent before it is deleted, so an interruption may leave one in both
     * queues, which is harmless for idempotent task messages. Returns how many were moved.
     */
    int redriveDeadLetters(int max);
}
