package dev.segrel.sqs;

import static dev.segrel.sqs.SqsCalls.batches;
import static dev.segrel.sqs.SqsCalls.call;
import static dev.segrel.sqs.SqsCalls.unavailable;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.PartialSendException;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link TaskQueue} on an SQS queue (or ElasticMQ, LocalStack). Receives ask for the
 * {@code ApproximateReceiveCount} and {@code SentTimestamp} attributes and give messages the
 * configured visibility timeout. The dead-letter queue is {@code SQS_DLQ_URL}, else the target of
 * the queue's {@code RedrivePolicy} (looked up once, on first need).
 *
 * <p>Per-entry failures of batch calls that are the sender's fault (a stale or invalid receipt
 * handle, a message no longer in flight) are ignored, as the port specifies; others are reported
 * as {@link QueueUnavailableException} after the whole list was tried. Every SDK failure becomes a
 * {@link QueueUnavailableException} whose message names the operation and the queue (credentials
 * redacted); configuration mistakes such as a missing queue surface the same way, with the SDK's
 * message saying which.
 *
 * <p>Thread-safe; does not own the client. Long polls run on short-lived virtual threads (see
 * {@link #receive}); no thread outlives a call by more than its poll.
 */
public final class SqsTaskQueue implements TaskQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SqsTaskQueue.class);


    static final String ORIGINAL_MESSAGE_ID_ATTRIBUTE = "segrel_original_message_id";
    static final String RECEIVE_COUNT_ATTRIBUTE = "segrel_receive_count";
    private static final int MAX_REASON_CHARS = 1000;

    private final SqsClient client;
    private final String queueUrl;
    private final Duration visibility;
    private final DeadLetterQueueLookup deadLetterQueue;

    /**
     * @param deadLetterQueueUrl the dead-letter queue, or empty to take it from the queue's RedrivePolicy
     * @param visibility the visibility timeout received messages get
     */
    public SqsTaskQueue(SqsClient client, String queueUrl, Optional<String> deadLetterQueueUrl, Duration visibility) {
        this.client = requireNonNull(client, "client is null");
        this.queueUrl = requireNonNull(queueUrl, "queueUrl is null");
        this.deadLetterQueue = new DeadLetterQueueLookup(client, queueUrl, deadLetterQueueUrl);
        this.visibility = requireNonNull(visibility, "visibility is null");
        if (visibility.toSeconds() < 1 || visibility.compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("visibility must be 1.." + MAX_VISIBILITY.toSeconds() + " s, was " + visibility);
        }
    }

    /** The task queue of {@code config} ({@code SQS_QUEUE_URL} required). */
    public static SqsTaskQueue create(SqsClient client, SqsConfig config) {
        return new SqsTaskQueue(client, config.requireQueueUrl(), config.deadLetterQueueUrl(), config.visibilityTimeout());
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** The dead-letter queue messages are moved to; empty when there is none. */
    public Optional<String> deadLetterQueueUrl() {
        return deadLetterQueue.url();
    }

    // ----------------------------------------------------------------------------- receive

    @Override
    public List<QueuedMessage> receive(int max, Duration wait) {
        if (max < 1 || max > MAX_BATCH) {
            throw new IllegalArgumentException("max must be in 1.." + MAX_BATCH + ", was " + max);
        }
        requireNonNull(wait, "wait is null");
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("wait must be in 0.." + MAX_WAIT.toSeconds() + " seconds, was " + wait);
        }
        if (Thread.currentThread().isInterrupted()) {
            return List.of();
        }
        List<Message> messages = wait.isZero() ? receiveNow(max, 0) : receiveInterruptibly(max, (int) wait.toSeconds());
        List<QueuedMessage> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(toQueued(m));
        }
        return out;
    }

    private List<Message> receiveNow(int max, int waitSeconds) {
        try {
            return client.receiveMessage(b -> b.queueUrl(queueUrl)
                            .maxNumberOfMessages(max)
                            .waitTimeSeconds(waitSeconds)
                            .visibilityTimeout((int) visibility.toSeconds())
                            .messageAttributeNames(TraceContext.TRACEPARENT, TraceContext.TRACESTATE)
                            .messageSystemAttributeNames(
                                    MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                    MessageSystemAttributeName.SENT_TIMESTAMP))
                    .messages();
        } catch (SdkException e) {
            if (interrupted(e)) {
                Thread.currentThread().interrupt();
                return List.of();
            }
            throw unavailable("receive from", queueUrl, e);
        }
    }

    /**
     * The sync HTTP client does not abort a blocked socket read when its thread is interrupted, so a
     * long poll runs on a short-lived virtual thread and the caller waits for it interruptibly. An
     * abandoned poll that still receives messages releases them at once, so nothing stays invisible.
     */
    private List<Message> receiveInterruptibly(int max, int waitSeconds) {
        CompletableFuture<List<Message>> poll = new CompletableFuture<>();
        Thread.ofVirtual().name("sqs-long-poll").start(() -> {
            try {
                poll.complete(receiveNow(max, waitSeconds));
            } catch (Throwable t) {
                poll.completeExceptionally(t);
            }
        });
        try {
            return poll.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            poll.thenAccept(this::releaseAbandoned);
            return List.of();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new QueueUnavailableException("SQS receive from " + queueUrl + " failed", e.getCause());
        }
    }

    private void releaseAbandoned(List<Message> late) {
        if (late.isEmpty()) {
            return;
        }
        try {
            changeVisibility(late.stream().map(SqsTaskQueue::toQueued).toList(), Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.warn("could not release {} message(s) received after the receiver was interrupted; they reappear"
                    + " after their visibility timeout: {}", late.size(), e.getMessage());
        }
    }

    private static QueuedMessage toQueued(Message m) {
        Map<MessageSystemAttributeName, String> attributes = m.attributes();
        int receiveCount = (int) SqsCalls.parseLong(attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT), 1);
        String sent = attributes.get(MessageSystemAttributeName.SENT_TIMESTAMP);
        Instant sentAt = sent == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(sent));
        return new QueuedMessage(m.messageId(), m.receiptHandle(), m.body(), Math.max(1, receiveCount), sentAt,
                SqsCalls.trace(m.messageAttributes()));
    }

    private static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AbortedException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    // ----------------------------------------------------------------- delete and visibility

    @Override
    public void delete(List<QueuedMessage> messages) {
        requireNonNull(messages, "messages is null");
        List<String> failures = new ArrayList<>();
        for (List<QueuedMessage> batch : batches(messages)) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .receiptHandle(batch.get(i).receiptHandle())
                        .build());
            }
            List<BatchResultErrorEntry> failed = call("delete from", queueUrl,
                    () -> client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed());
            collect(failed, batch, "delete", failures);
        }
        throwIfAny("delete", failures);
    }

    @Override
    public void changeVisibility(List<QueuedMessage> messages, Duration newVisibility) {
        requireNonNull(messages, "messages is null");
        requireNonNull(newVisibility, "visibility is null");
        if (newVisibility.isNegative() || newVisibility.compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("visibility must be in 0.." + MAX_VISIBILITY.toSeconds()
                    + " seconds, was " + newVisibility);
        }
        int seconds = (int) newVisibility.toSeconds();
        List<String> failures = new ArrayList<>();
        for (List<QueuedMessage> batch : batches(messages)) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .receiptHandle(batch.get(i).receiptHandle())
                        .visibilityTimeout(seconds)
                        .build());
            }
            List<BatchResultErrorEntry> failed = call("change visibility on", queueUrl,
                    () -> client.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed());
            collect(failed, batch, "change visibility", failures);
        }
        throwIfAny("change visibility", failures);
    }

    private static void collect(List<BatchResultErrorEntry> failed, List<QueuedMessage> batch, String op, List<String> failures) {
        for (BatchResultErrorEntry f : failed) {
            QueuedMessage m = batch.get(Integer.parseInt(f.id()));
            if (Boolean.TRUE.equals(f.senderFault())) {
                LOG.debug("{} of message {} ignored (stale handle?): {} {}", op, m.messageId(), f.code(), f.message());
            } else {
                failures.add(m.messageId() + ": " + f.code() + " " + f.message());
            }
        }
    }

    private void throwIfAny(String op, List<String> failures) {
        if (!failures.isEmpty()) {
            throw new QueueUnavailableException(Secrets.redact("SQS could not " + op + " " + failures.size()
                    + " message(s) of " + queueUrl + "; first: " + failures.get(0)));
        }
    }

    // ------------------------------------------------------------------------- dead letter

    @Override
    public void deadLetter(QueuedMessage message, String reason) {
        requireNonNull(message, "message is null");
        requireNonNull(reason, "reason is null");
        String dlq = deadLetterQueue.url().orElseThrow(() -> new IllegalStateException(
                "no dead-letter queue for " + queueUrl + ": set SQS_DLQ_URL or give the queue a RedrivePolicy"));
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(DEAD_LETTER_REASON_ATTRIBUTE, stringAttribute(cleanReason(reason)));
        attributes.put(ORIGINAL_MESSAGE_ID_ATTRIBUTE, stringAttribute(message.messageId()));
        attributes.put(RECEIVE_COUNT_ATTRIBUTE, MessageAttributeValue.builder()
                .dataType("Number").stringValue(Integer.toString(message.receiveCount())).build());
        // a redriven message continues its trace
        attributes.putAll(SqsCalls.traceAttributes(message.trace()));
        boolean fifo = dlq.endsWith(".fifo");
        call("send to", dlq, () -> client.sendMessage(b -> {
            b.queueUrl(dlq).messageBody(message.body()).messageAttributes(attributes);
            if (fifo) {
                b.messageGroupId(SqsMessagePublisher.fifoId(message.messageId()))
                        .messageDeduplicationId(SqsMessagePublisher.fifoId(message.messageId()));
            }
        }));
        try {
            client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        } catch (ReceiptHandleIsInvalidException stale) {
            LOG.debug("dead-lettered message {} had a stale handle; its redelivery will be dead-lettered again",
                    message.messageId());
        } catch (SdkException e) {
            throw unavailable("delete a dead-lettered message from", queueUrl, e);
        }
    }

    /** Attribute values must be valid XML characters; the reason must stay one line. */
    private static String cleanReason(String reason) {
        String cut = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean pair = Character.isHighSurrogate(c) && i + 1 < cut.length()
                        && Character.isLowSurrogate(cut.charAt(i + 1));
                out.append(pair ? cut.substring(i, i + 2) : "?");
                i += pair ? 1 : 0;
            } else if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.isEmpty() ? "(no reason given)" : out.toString();
    }

    private static MessageAttributeValue stringAttribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    // -------------------------------------------------------------------------------- send

    @Override
    public void send(List<String> bodies) {
        send(bodies, null);
    }

    @Override
    public void send(List<String> bodies, TraceContext trace) {
        requireNonNull(bodies, "bodies is null");
        Map<String, MessageAttributeValue> attributes = SqsCalls.traceAttributes(trace);
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            if (body == null || body.isEmpty()) {
                throw new IllegalArgumentException("bodies[" + i + "] is " + (body == null ? "null" : "empty"));
            }
        }
        Map<Integer, String> failed = new LinkedHashMap<>();
        List<List<Integer>> requests = SendRequests.requests(bodies, SendRequests.attributeBytes(attributes), failed);
        for (int r = 0; r < requests.size(); r++) {
            List<Integer> request = requests.get(r);
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(request.size());
            for (int e = 0; e < request.size(); e++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(e))
                        .messageBody(bodies.get(request.get(e)))
                        .messageAttributes(attributes)
                        .build());
            }
            SendMessageBatchResponse response;
            try {
                response = client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (SdkException e) {
                if (r == 0 && failed.isEmpty()) {
                    throw unavailable("send to", queueUrl, e);
                }
                String reason = "not sent: " + Secrets.redact(String.valueOf(e.getMessage()));
                requests.subList(r, requests.size()).forEach(rest -> rest.forEach(i -> failed.put(i, reason)));
                break;
            }
            for (BatchResultErrorEntry f : response.failed()) {
                failed.put(request.get(Integer.parseInt(f.id())), f.code() + ": " + f.message());
            }
        }
        if (!failed.isEmpty()) {
            throw new PartialSendException(failed, bodies.size());
        }
    }
}
