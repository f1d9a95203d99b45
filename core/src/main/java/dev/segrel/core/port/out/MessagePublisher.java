package dev.segrel.core.port.out;

import java.time.Duration;

/**
 * Delivers outbox messages (completion messages to {@code SQS_COMPLETED_QUEUE_URL}). Blocks until
 * the destination accepted the message; throws on failure (the relay retries later). A message's
 * {@link Outbox.Message#trace() trace} travels with it as the string message attributes
 * {@code traceparent} (and {@code tracestate}), as task messages carry theirs.
 */
public interface MessagePublisher {

    /** What a publisher that does not say otherwise may block for: at most this long per call. */
    Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

    void publish(Outbox.Message message);

    /**
     * The longest one {@link #publish} may block before it gives up (its client's call timeout, retries
     * included). The relay leases a message for longer than this, so no other relay takes it while a
     * call that may still deliver it runs.
     */
    default Duration callTimeout() {
        return DEFAULT_CALL_TIMEOUT;
    }
}
