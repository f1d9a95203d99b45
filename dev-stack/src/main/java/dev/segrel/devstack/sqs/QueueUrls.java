package dev.segrel.devstack.sqs;

import static java.util.Objects.requireNonNull;

/**
 * The URLs of a task queue and its companions.
 *
 * @param queue the task queue ({@code SQS_QUEUE_URL}), with a redrive policy to {@code deadLetter}
 * @param deadLetter its dead-letter queue ({@code SQS_DLQ_URL})
 * @param completed the completion queue ({@code SQS_COMPLETED_QUEUE_URL})
 */
public record QueueUrls(String queue, String deadLetter, String completed) {

    public QueueUrls {
        requireNonNull(queue, "queue is null");
        requireNonNull(deadLetter, "deadLetter is null");
        requireNonNull(completed, "completed is null");
    }
}
