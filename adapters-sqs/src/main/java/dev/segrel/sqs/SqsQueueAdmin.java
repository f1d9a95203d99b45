package dev.segrel.sqs;

import static dev.segrel.sqs.SqsCalls.call;
import static dev.segrel.sqs.SqsCalls.parseLong;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link QueueAdmin} on an SQS task queue and its dead-letter queue ({@code SQS_DLQ_URL}, else the
 * queue's RedrivePolicy).
 *
 * <p>{@link #peekDeadLetters} receives messages and makes them visible again at once, so it does not
 * consume them, but it does count as a receive (SQS has no true peek). {@link #redriveDeadLetters}
 * sends each message's body to the task queue, then deletes it from the dead-letter queue: a crash in
 * between leaves a message in both queues, which is harmless since task messages are idempotent.
 *
 * <p>Thread-safe; does not own the client. SDK failures become {@link QueueUnavailableException}.
 */
public final class SqsQueueAdmin implements QueueAdmin {

    /** How long a received dead letter stays hidden while a call works through the queue. */
    static final Duration HOLD = Duration.ofSeconds(30);

    private final SqsClient client;
    private final String queueUrl;
    private final DeadLetterQueueLookup deadLetterQueue;

    /** @param deadLetterQueueUrl the dead-letter queue, or empty to take it from the queue's RedrivePolicy */
    public SqsQueueAdmin(SqsClient client, String queueUrl, Optional<String> deadLetterQueueUrl) {
        this.client = requireNonNull(client, "client is null");
        this.queueUrl = requireNonNull(queueUrl, "queueUrl is null");
        this.deadLetterQueue = new DeadLetterQueueLookup(client, queueUrl, deadLetterQueueUrl);
    }

    /** The administration of {@code config}'s task queue ({@code SQS_QUEUE_URL} required). */
    public static SqsQueueAdmin create(SqsClient client, SqsConfig config) {
        return new SqsQueueAdmin(client, config.requireQueueUrl(), config.deadLetterQueueUrl());
    }

    /**
     * Checks that the queue at {@code url} exists and this client may read it ({@code doctor}).
     *
     * @throws QueueUnavailableException naming the queue when it does not answer
     */
    public void requireReachable(String url) {
        call("read the attributes of", url, () -> client.getQueueAttributes(
                b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)));
    }

    @Override
    public String queueUrl() {
        return queueUrl;
    }

    @Override
    public Optional<String> deadLetterQueueUrl() {
        return deadLetterQueue.url();
    }

    @Override
    public QueueStats stats() {
        Map<QueueAttributeName, String> a = call("read the attributes of", queueUrl, () -> client.getQueueAttributes(
                        b -> b.queueUrl(queueUrl).attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes());
        OptionalLong dlqVisible = OptionalLong.empty();
        Optional<String> dlq = deadLetterQueue.url();
        if (dlq.isPresent()) {
            String visible = call("read the attributes of", dlq.get(), () -> client.getQueueAttributes(
                            b -> b.queueUrl(dlq.get()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            dlqVisible = OptionalLong.of(parseLong(visible, 0));
        }
        return new QueueStats(
                parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), 0),
                parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), 0),
                parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED), 0),
                dlqVisible);
    }

    @Override
    public void purge() {
        call("purge", queueUrl, () -> client.purgeQueue(b -> b.queueUrl(queueUrl)));
    }

    /** Up to {@code max} messages, oldest receive first, left in the queue. */
    @Override
    public List<DeadLetter> peekDeadLetters(int max) {
        String url = requireDeadLetterQueue(max);
        List<Message> held = receiveUpTo(url, max);
        try {
            return held.stream().map(SqsQueueAdmin::deadLetter).toList();
        } finally {
            release(url, held);
        }
    }

    /**
     * Moves up to {@code max} messages back to the task queue (bodies unchanged, segrel's reason
     * attributes dropped). Returns how many were moved.
     */
    @Override
    public int redriveDeadLetters(int max) {
        String url = requireDeadLetterQueue(max);
        int moved = 0;
        while (moved < max) {
            List<Message> batch = receive(url, Math.min(TaskQueue.MAX_BATCH, max - moved));
            if (batch.isEmpty()) {
                break;
            }
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(batch.get(i).body())
                        .build());
            }
            SendMessageBatchResponse sent = call("send to", queueUrl,
                    () -> client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)));
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            sent.successful().forEach(s -> deletes.add(DeleteMessageBatchRequestEntry.builder()
                    .id(s.id())
                    .receiptHandle(batch.get(Integer.parseInt(s.id())).receiptHandle())
                    .build()));
            if (!deletes.isEmpty()) {
                call("delete redriven messages from", url,
                        () -> client.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes)));
            }
            moved += deletes.size();
            if (!sent.failed().isEmpty()) {
                List<Message> unsent = new ArrayList<>();
                for (BatchResultErrorEntry f : sent.failed()) {
                    unsent.add(batch.get(Integer.parseInt(f.id())));
                }
                release(url, unsent);
                BatchResultErrorEntry first = sent.failed().get(0);
                throw new QueueUnavailableException("SQS refused " + sent.failed().size() + " redriven message(s) to "
                        + queueUrl + " after " + moved + " were moved; first: " + first.code() + ": "
                        + first.message());
            }
        }
        return moved;
    }

    private List<Message> receiveUpTo(String url, int max) {
        List<Message> held = new ArrayList<>();
        Map<String, Message> seen = new LinkedHashMap<>();
        try {
            while (seen.size() < max) {
                List<Message> batch = receive(url, Math.min(TaskQueue.MAX_BATCH, max - seen.size()));
                if (batch.isEmpty()) {
                    break;
                }
                held.addAll(batch);
                batch.forEach(m -> seen.putIfAbsent(m.messageId(), m));
            }
        } catch (RuntimeException e) {
            release(url, held);
            throw e;
        }
        return new ArrayList<>(seen.values());
    }

    private List<Message> receive(String url, int max) {
        return call("receive from", url, () -> client.receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(max)
                        .waitTimeSeconds(0)
                        .visibilityTimeout((int) HOLD.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                MessageSystemAttributeName.SENT_TIMESTAMP)
                        .messageAttributeNames("All"))
                .messages());
    }

    /** Makes held messages visible again at once (best effort: they reappear after {@link #HOLD} anyway). */
    private void release(String url, List<Message> messages) {
        for (int from = 0; from < messages.size(); from += TaskQueue.MAX_BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(messages.size(), from + TaskQueue.MAX_BATCH); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(i - from))
                        .receiptHandle(messages.get(i).receiptHandle())
                        .visibilityTimeout(0)
                        .build());
            }
            try {
                client.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
            } catch (SdkException e) {
                // they become visible when HOLD passes
            }
        }
    }

    private static DeadLetter deadLetter(Message m) {
        Map<String, MessageAttributeValue> attributes = m.messageAttributes();
        MessageAttributeValue reason = attributes.get(TaskQueue.DEAD_LETTER_REASON_ATTRIBUTE);
        MessageAttributeValue originalId = attributes.get(SqsTaskQueue.ORIGINAL_MESSAGE_ID_ATTRIBUTE);
        MessageAttributeValue count = attributes.get(SqsTaskQueue.RECEIVE_COUNT_ATTRIBUTE);
        Map<MessageSystemAttributeName, String> system = m.attributes();
        int receives = (int) parseLong(count != null ? count.stringValue()
                : system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT), 0);
        long sent = parseLong(system.get(MessageSystemAttributeName.SENT_TIMESTAMP), 0);
        return new DeadLetter(
                originalId != null ? originalId.stringValue() : m.messageId(),
                m.body(),
                reason == null ? null : reason.stringValue(),
                Math.max(1, receives),
                Instant.ofEpochMilli(sent));
    }

    private String requireDeadLetterQueue(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        return deadLetterQueue.url().orElseThrow(() -> new IllegalStateException("the task queue " + queueUrl
                + " has no dead-letter queue: set SQS_DLQ_URL or give the queue a RedrivePolicy"));
    }
}
