package dev.segrel.core.port.out;

/**
 * Delivers outbox messages (completion messages to {@code SQS_COMPLETED_QUEUE_URL}). Blocks until
 * the destination accepted the message; throws on failure (the relay retries later).
 */
public interface MessagePublisher {

    void publish(Outbox.Message message);
}
