package dev.segrel.core.port.out;

/**
 * Delivers outbox messages (completion messages to {@code SQS_COMPLETED_QUEUE_URL}). Blocks until
 * the destination accepted the message; throws on failure (the relay retries later). A message's
 * {@link Outbox.Message#trace() trace} travels with it as the string message attributes
 * {@code traceparent} (and {@code tracestate}), as task messages carry theirs.
 */
public interface MessagePublisher {

    void publish(Outbox.Message message);
}
