package dev.segrel.core.port.out;

import java.time.Instant;

/**
 * Durable record of every message a worker refused (poison bodies, unknown tasks) or gave up on
 * (tasks FAILED for good), with the reason, so that none is silently dropped: operators find them
 * here and in the dead-letter queue.
 *
 * <p>Thread-safe. Throws {@link StoreUnavailableException} when the store cannot be reached.
 */
public interface RejectedMessages {

    /**
     * Records one refused message.
     *
     * @param messageId the queue's message id
     * @param body the body (implementations may truncate very large bodies, saying so)
     * @param reason one line saying why
     * @param at when
     */
    void record(String messageId, String body, String reason, Instant at);
}
