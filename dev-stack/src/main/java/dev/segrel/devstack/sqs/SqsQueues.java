package dev.segrel.devstack.sqs;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates segrel's queues on any SQS endpoint (ElasticMQ in process, LocalStack, AWS). Creating a
 * queue that exists with the same attributes is a no-op, so these calls are idempotent.
 */
public final class SqsQueues {

    /**
     * Receives before SQS moves a message to the dead-letter queue by itself: twice the worker's
     * default {@code SEGREL_MAX_ATTEMPTS} (5), so that the worker, not the redrive, decides when a task
     * has failed (duplicates and "held by another worker" bounces count as receives too).
     */
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 10;

    private SqsQueues() {}

    /**
     * Creates {@code name}, {@code name-dlq} and {@code name-completed}, with a redrive policy on
     * {@code name} moving a message to {@code name-dlq} after {@code maxReceiveCount} receives.
     * A {@code name} ending in {@code .fifo} makes three FIFO queues ({@code name-dlq.fifo} …).
     */
    public static QueueUrls create(SqsClient client, String name, int maxReceiveCount) {
        requireNonNull(client, "client is null");
        requireNonNull(name, "name is null");
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be in 1..1000, was " + maxReceiveCount);
        }
        boolean fifo = name.endsWith(".fifo");
        String base = fifo ? name.substring(0, name.length() - ".fifo".length()) : name;
        String suffix = fifo ? ".fifo" : "";
        String dlq = createQueue(client, base + "-dlq" + suffix, Map.of());
        String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
        String queue = createQueue(client, name, Map.of(QueueAttributeName.REDRIVE_POLICY, redrive));
        String completed = createQueue(client, base + "-completed" + suffix, Map.of());
        return new QueueUrls(queue, dlq, completed);
    }

    /** Creates one queue (FIFO with content-based deduplication off when the name ends in {@code .fifo}). */
    public static String createQueue(SqsClient client, String name, Map<QueueAttributeName, String> attributes) {
        Map<QueueAttributeName, String> all = new java.util.HashMap<>(attributes);
        if (name.endsWith(".fifo")) {
            all.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        return client.createQueue(b -> b.queueName(name).attributes(all)).queueUrl();
    }
}
