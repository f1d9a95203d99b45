package dev.segrel.sqs;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Operator access to a task queue's dead-letter queue: look at what is there, and move it back to
 * the task queue once the cause is fixed (what the AWS console's "start DLQ redrive" does).
 *
 * <p>{@link #peek} receives messages and makes them visible again at once, so it does not consume
 * them, but it does count as a receive (SQS has no true peek). {@link #redrive} sends each message's
 * body to the task queue, then deletes it from the dead-letter queue: a crash in between leaves a
 * message in both queues, which is harmless since task messages are idempotent.
 *
 * <p>Thread-safe; does not own the client. SDK failures become {@link QueueUnavailableException}.
 */
public final class SqsDeadLetterQueue {

    /** How long a received message stays hidden while a call works through the queue. */
    static final Duration HOLD = Duration.ofSeconds(30);

    private final SqsClient client;
    private final String url;
    private final String sourceQueueUrl;

    /**
     * @param url the dead-letter queue
     * @param sourceQueueUrl the task queue its messages go back to
     */
    public SqsDeadLetterQueue(SqsClient client, String url, String sourceQueueUrl) {
        this.client = requireNonNull(client, "client is null");
        this.url = requireNonNull(url, "url is null");
        this.sourceQueueUrl = requireNonNull(sourceQueueUrl, "sourceQueueUrl is null");
    }

    /**
     * The dead-letter queue of {@code config}'s task queue: {@code SQS_DLQ_URL}, else the target of the
     * queue's RedrivePolicy; empty when it has none.
     *
     * @throws IllegalStateException when {@code SQS_QUEUE_URL} is not set
     * @throws QueueUnavailableException when the queue cannot be reached
     */
    public static Optional<SqsDeadLetterQueue> of(SqsClient client, SqsConfig config) {
        SqsTaskQueue queue = SqsTaskQueue.create(client, config);
        return queue.deadLetterQueueUrl().map(dlq -> new SqsDeadLetterQueue(client, dlq, queue.queueUrl()));
    }

    public String url() {
        return url;
    }

    public String sourceQueueUrl() {
        return sourceQueueUrl;
    }

    /**
     * A message of the dead-letter queue.
     *
     * @param reason why segrel dead-lettered it ({@value TaskQueue#DEAD_LETTER_REASON_ATTRIBUTE}), or
     *     null when SQS moved it by its redrive policy (received too often)
     * @param receiveCount receives in the task queue before it came here, when known, else in this queue
     */
    public record DeadLetter(String messageId, String body, String reason, int receiveCount, Instant sentAt) {
        public DeadLetter {
            requireNonNull(messageId, "messageId is null");
            requireNonNull(body, "body is null");
            requireNonNull(sentAt, "sentAt is null");
        }
    }

    /** Up to {@code max} messages, oldest receive first, left in the queue. */
    public List<DeadLetter> peek(int max) {
        checkMax(max);
        List<Message> held = receiveUpTo(max);
        try {
            return held.stream().map(SqsDeadLetterQueue::deadLetter).toList();
        } finally {
            release(held);
        }
    }

    /**
     * Moves up to {@code max} messages back to the task queue (bodies unchanged, segrel's reason
     * attributes dropped). Returns how many were moved.
     */
    public int redrive(int max) {
        checkMax(max);
        int moved = 0;
        while (moved < max) {
            List<Message> batch = receive(Math.min(TaskQueue.MAX_BATCH, max - moved));
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
            SendMessageBatchResponse sent = call("send to", sourceQueueUrl,
                    () -> client.sendMessageBatch(b -> b.queueUrl(sourceQueueUrl).entries(entries)));
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
                release(unsent);
                BatchResultErrorEntry first = sent.failed().get(0);
                throw new QueueUnavailableException("SQS refused " + sent.failed().size() + " redriven message(s) to "
                        + sourceQueueUrl + " after " + moved + " were moved; first: " + first.code() + ": "
                        + first.message());
            }
        }
        return moved;
    }

    private List<Message> receiveUpTo(int max) {
        List<Message> held = new ArrayList<>();
        Map<String, Message> seen = new LinkedHashMap<>();
        try {
            while (seen.size() < max) {
                List<Message> batch = receive(Math.min(TaskQueue.MAX_BATCH, max - seen.size()));
                if (batch.isEmpty()) {
                    break;
                }
                held.addAll(batch);
                batch.forEach(m -> seen.putIfAbsent(m.messageId(), m));
            }
        } catch (RuntimeException e) {
            release(held);
            throw e;
        }
        return new ArrayList<>(seen.values());
    }

    private List<Message> receive(int max) {
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
    private void release(List<Message> messages) {
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
        int receives = parseInt(count != null ? count.stringValue()
                : system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        long sent = parseLong(system.get(MessageSystemAttributeName.SENT_TIMESTAMP));
        return new DeadLetter(
                originalId != null ? originalId.stringValue() : m.messageId(),
                m.body(),
                reason == null ? null : reason.stringValue(),
                Math.max(1, receives),
                Instant.ofEpochMilli(sent));
    }

    private static <T> T call(String what, String queueUrl, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw SqsTaskQueue.unavailable(what, queueUrl, e);
        }
    }

    private static void checkMax(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
    }

    private static int parseInt(String text) {
        try {
            return text == null ? 0 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long parseLong(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
