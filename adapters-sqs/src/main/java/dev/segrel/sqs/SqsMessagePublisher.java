package dev.segrel.sqs;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Delivers outbox messages to SQS queues by logical destination ({@link #COMPLETED} is
 * {@code SQS_COMPLETED_QUEUE_URL}). Every message carries its {@link Outbox.Message#messageId()} as
 * the string attribute {@value #MESSAGE_ID_ATTRIBUTE}, for consumers to deduplicate on.
 *
 * <p>To a FIFO queue (URL ending in {@code .fifo}) the message id is also the
 * {@code MessageDeduplicationId} (so a redelivery by the relay within SQS's 5-minute window is
 * dropped by SQS itself) and the {@code MessageGroupId}. Outbox message ids are one per announcement
 * ({@code job-completed:<job_id>}, then {@code :a2} … after a reprocess; {@code batch-completed:<job_id>:<run>:<batch>}
 * for a batch), so each group holds one announcement and its retries. An id that SQS
 * would refuse (over 128 characters or with other than printable ASCII) is replaced by its
 * SHA-256 in hex, which is deterministic too.
 *
 * <p>Blocks until SQS accepted the message; throws {@link dev.segrel.core.port.out.QueueUnavailableException}
 * when it did not (the relay retries), and {@link IllegalStateException} for a destination without
 * a configured queue. Thread-safe; does not own the client.
 */
public final class SqsMessagePublisher implements MessagePublisher {

    public static final String COMPLETED = "completed";
    public static final String MESSAGE_ID_ATTRIBUTE = "segrel_message_id";

    private static final Pattern FIFO_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

    /**
     * The longest one publish may take, retries included: far above a SendMessage's usual tens of
     * milliseconds, and short, because the relay's lease (twice this and a margin, 60 s) is also how
     * long the rows of a relay that died wait before another relay takes them.
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private final SqsClient client;
    private final Map<String, String> queueUrlByDestination;

    public SqsMessagePublisher(SqsClient client, Map<String, String> queueUrlByDestination) {
        this.client = requireNonNull(client, "client is null");
        this.queueUrlByDestination = Map.copyOf(requireNonNull(queueUrlByDestination, "queueUrlByDestination is null"));
    }

    /** Publishes {@link #COMPLETED} messages to {@code SQS_COMPLETED_QUEUE_URL}, when set. */
    public static SqsMessagePublisher create(SqsClient client, SqsConfig config) {
        return new SqsMessagePublisher(client,
                config.completedQueueUrl().map(url -> Map.of(COMPLETED, url)).orElse(Map.of()));
    }

    @Override
    public void publish(Outbox.Message message) {
        requireNonNull(message, "message is null");
        String url = queueUrlByDestination.get(message.destination());
        if (url == null) {
            throw new IllegalStateException("no queue for destination '" + message.destination() + "'"
                    + (COMPLETED.equals(message.destination()) ? ": set " + SqsConfig.COMPLETED_QUEUE_URL : ""));
        }
        MessageAttributeValue id = MessageAttributeValue.builder()
                .dataType("String").stringValue(message.messageId()).build();
        boolean fifo = url.endsWith(".fifo");
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(MESSAGE_ID_ATTRIBUTE, id);
        attributes.putAll(SqsCalls.traceAttributes(message.trace()));
        try {
            client.sendMessage(b -> {
                b.queueUrl(url).messageBody(message.body()).messageAttributes(attributes)
                        .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT));
                if (fifo) {
                    String fifoId = fifoId(message.messageId());
                    b.messageGroupId(fifoId).messageDeduplicationId(fifoId);
                }
            });
        } catch (SdkException e) {
            throw SqsCalls.unavailable("publish message " + message.messageId() + " to", url, e);
        }
    }

    /** The timeout of one publish, every attempt and retry included: the relay leases a message for longer. */
    @Override
    public Duration callTimeout() {
        return CALL_TIMEOUT;
    }

    /** The id as SQS accepts it for group and deduplication ids, or its SHA-256 hex when it would not. */
    static String fifoId(String id) {
        if (FIFO_ID.matcher(id).matches()) {
            return id;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
