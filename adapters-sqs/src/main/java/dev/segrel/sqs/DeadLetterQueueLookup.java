package dev.segrel.sqs;

import static dev.segrel.sqs.SqsCalls.call;
import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The dead-letter queue of a task queue: the configured one ({@code SQS_DLQ_URL}), else the target
 * of the queue's RedrivePolicy, looked up once and remembered (also when there is none). Thread-safe.
 */
final class DeadLetterQueueLookup {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueueLookup.class);
    private static final Pattern DLQ_ARN = Pattern.compile("\"deadLetterTargetArn\"\\s*:\\s*\"arn:[^:\"]*:sqs:[^:\"]*:([^:\"]*):([^:\"]+)\"");

    private final SqsClient client;
    private final String queueUrl;
    private final Object lock = new Object();
    private volatile Optional<String> deadLetterQueueUrl;

    /** @param configured the dead-letter queue, or empty to take it from the queue's RedrivePolicy */
    DeadLetterQueueLookup(SqsClient client, String queueUrl, Optional<String> configured) {
        this.client = requireNonNull(client, "client is null");
        this.queueUrl = requireNonNull(queueUrl, "queueUrl is null");
        this.deadLetterQueueUrl = requireNonNull(configured, "configured is null").isPresent() ? configured : null;
    }

    /** The dead-letter queue's URL: configured, else from the RedrivePolicy (cached, also when absent). */
    Optional<String> url() {
        Optional<String> known = deadLetterQueueUrl;
        if (known != null) {
            return known;
        }
        synchronized (lock) {
            if (deadLetterQueueUrl == null) {
                deadLetterQueueUrl = lookUpDeadLetterQueue();
            }
            return deadLetterQueueUrl;
        }
    }

    private Optional<String> lookUpDeadLetterQueue() {
        String policy = call("read the RedrivePolicy of", queueUrl, () -> client.getQueueAttributes(
                        b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes()
                .get(QueueAttributeName.REDRIVE_POLICY));
        if (policy == null) {
            LOG.info("{} has no RedrivePolicy and SQS_DLQ_URL is not set: no dead-letter queue", queueUrl);
            return Optional.empty();
        }
        Matcher m = DLQ_ARN.matcher(policy);
        if (!m.find()) {
            LOG.warn("cannot read the dead-letter queue of {} from its RedrivePolicy {}", queueUrl, policy);
            return Optional.empty();
        }
        String account = m.group(1);
        String name = m.group(2);
        String url = call("look up the dead-letter queue " + name + " of", queueUrl, () -> client.getQueueUrl(b -> {
            b.queueName(name);
            if (!account.isEmpty()) {
                b.queueOwnerAWSAccountId(account);
            }
        }).queueUrl());
        return Optional.of(url);
    }
}
