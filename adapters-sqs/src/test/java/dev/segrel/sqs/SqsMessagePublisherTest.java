package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.testkit.outbox.MessagePublisherContract;
import dev.segrel.testkit.queue.TestingSqs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class SqsMessagePublisherTest extends MessagePublisherContract {

    private String completedUrl;

    @Override
    protected MessagePublisher newPublisher() {
        completedUrl = TestingSqs.createQueue("completed", false);
        return new SqsMessagePublisher(TestingSqs.client(), Map.of("completed", completedUrl));
    }

    @Override
    protected List<Delivered> delivered() {
        return drain(completedUrl).stream().map(m -> new Delivered(m.body(),
                m.messageAttributes().get(SqsMessagePublisher.MESSAGE_ID_ATTRIBUTE).stringValue())).toList();
    }

    private static final String BODY = "{\"job_id\":\"6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b\",\"manifestation_id\":\"M\"}";

    @Test
    void publishesTheBodyWithItsMessageIdAsAnAttribute() {
        String url = TestingSqs.createQueue("completed", false);
        SqsMessagePublisher publisher = new SqsMessagePublisher(TestingSqs.client(), Map.of("completed", url));

        publisher.publish(new Outbox.Message(1, "job-completed:6f1c2a9e", "completed", BODY, 0));

        List<Message> got = drain(url);
        assertThat(got).extracting(Message::body).containsExactly(BODY);
        assertThat(got.get(0).messageAttributes().get(SqsMessagePublisher.MESSAGE_ID_ATTRIBUTE).stringValue())
                .isEqualTo("job-completed:6f1c2a9e");
    }

    @Test
    void aMessageContinuingATraceCarriesItsTraceparentAndNoneOtherwise() {
        String url = TestingSqs.createQueue("completed", false);
        SqsMessagePublisher publisher = new SqsMessagePublisher(TestingSqs.client(), Map.of("completed", url));
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        publisher.publish(new Outbox.Message(1, "job-completed:t", "completed", BODY, 0,
                TraceContext.parse(parent, null)));
        publisher.publish(new Outbox.Message(2, "job-completed:u", "completed", BODY, 0));

        List<Message> got = drain(url);
        Message traced = got.stream().filter(m -> m.messageAttributes().get(SqsMessagePublisher.MESSAGE_ID_ATTRIBUTE)
                .stringValue().equals("job-completed:t")).findFirst().orElseThrow();
        Message plain = got.stream().filter(m -> m != traced).findFirst().orElseThrow();
        assertThat(traced.messageAttributes().get("traceparent").stringValue()).isEqualTo(parent);
        assertThat(traced.messageAttributes().get("traceparent").dataType()).isEqualTo("String");
        assertThat(traced.messageAttributes()).doesNotContainKey("tracestate");
        assertThat(plain.messageAttributes()).doesNotContainKey("traceparent");
    }

    @Test
    void aStandardQueueGetsEveryPublishEvenOfTheSameMessageId() {
        String url = TestingSqs.createQueue("completed", false);
        SqsMessagePublisher publisher = new SqsMessagePublisher(TestingSqs.client(), Map.of("completed", url));

        publisher.publish(new Outbox.Message(1, "job-completed:x", "completed", BODY, 0));
        publisher.publish(new Outbox.Message(1, "job-completed:x", "completed", BODY, 1));

        assertThat(drain(url)).hasSize(2);
    }

    @Test
    void twoPublishesOfTheSameMessageIdToAFifoQueueGiveOneMessage() {
        String url = TestingSqs.createQueue("completed", true);
        SqsMessagePublisher publisher = new SqsMessagePublisher(TestingSqs.client(), Map.of("completed", url));

        publisher.publish(new Outbox.Message(1, "job-completed:x", "completed", BODY, 0));
        publisher.publish(new Outbox.Message(1, "job-completed:x", "completed", BODY, 1));
        publisher.publish(new Outbox.Message(2, "job-completed:y", "completed", BODY, 0));

        List<Message> got = drain(url);
        assertThat(got).extracting(m -> m.messageAttributes().get(SqsMessagePublisher.MESSAGE_ID_ATTRIBUTE).stringValue())
                .containsExactlyInAnyOrder("job-completed:x", "job-completed:y");
    }

    @Test
    void idsFifoQueuesWouldRefuseAreHashedDeterministically() throws Exception {
        String longId = "job-completed:" + "é".repeat(200);

        assertThat(SqsMessagePublisher.fifoId("job-completed:abc")).isEqualTo("job-completed:abc");
        assertThat(SqsMessagePublisher.fifoId(longId)).isEqualTo(sha256Hex(longId));
        assertThat(SqsMessagePublisher.fifoId("has space")).hasSize(64);
    }

    @Test
    void aDestinationWithoutQueueIsAClearError() {
        SqsMessagePublisher publisher = new SqsMessagePublisher(TestingSqs.client(), Map.of());

        assertThatThrownBy(() -> publisher.publish(new Outbox.Message(1, "m", "completed", BODY, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SQS_COMPLETED_QUEUE_URL");
    }

    private static String sha256Hex(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    private static List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> got = TestingSqs.client().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")).messages();
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
        }
    }
}
