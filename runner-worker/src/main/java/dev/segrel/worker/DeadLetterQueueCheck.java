package dev.segrel.worker;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.QueueAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start when the task queue has no dead-letter queue (no {@code SQS_DLQ_URL}, no redrive policy):
 * a refused message is then recorded in {@code segrel_rejected_message} and deleted, not moved, and an
 * operator should know that before the first one.
 */
final class DeadLetterQueueCheck {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterQueueCheck.class);

    private DeadLetterQueueCheck() {}

    /** True when the queue has a dead-letter queue, or when asking failed (that is logged, not fatal). */
    static boolean warnIfNone(QueueAdmin queue) {
        try {
            if (queue.stats().deadLetterVisible().isEmpty()) {
                log.warn("The task queue has no dead-letter queue (set SQS_DLQ_URL or give it a RedrivePolicy): "
                        + "refused messages are recorded in segrel_rejected_message and deleted");
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not tell whether the task queue has a dead-letter queue: {}",
                    Secrets.redact(String.valueOf(e.getMessage())));
            return true;
        }
    }
}
