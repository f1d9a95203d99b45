package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.testkit.outbox.MessagePublisherContract;
import dev.segrel.testkit.queue.TestingSqs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

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
    void itsCallTimeoutBoundsEveryRetryOfAPublishSoTheRelaysLeaseOutlastsIt() {
        SqsMessagePublisher publisher = new SqsMessagePublisher(TestingSqs.client(), Map.of());

        assertThat(publisher.callTimeout()).isEqualTo(SqsMessagePublisher.CALL_TIMEOUT)
                .isGreaterThan(SqsMessagePublisher.ATTEMPT_TIMEOUT)
                .isLessThan(SqsClients.CALL_TIMEOUT);
    }

    @Test
    void eachAnnouncementOfOneJobReachesAFifoQueueUnderItsOwnId() {
        String url = TestingSqs.createQueue("completed", true);
        SqsMessagePublisher publisher = new SqsMessagePublisher(TestingSqs.client(), Map.of("completed", url));

        publisher.publish(new Outbox.Message(1, "job-completed:z", "completed", BODY, 0));
        publisher.publish(new Outbox.Message(2, "job-completed:z:a2", "completed", BODY, 0));

        assertThat(drain(url)).hasSize(2).allSatisfy(m -> assertThat(m.attributes())
                .containsKey(MessageSystemAttributeName.MESSAGE_GROUP_ID));
    }

    @Test
    void idsFifoQueuesWouldRefuseAreHashedDeterministically() throws Exception {
        String longId = "job-completed:" + "é".repeat(200);

        assertThat(SqsMessagePublisher.fifoId("job-completed:abc")).isEqualTo("job-completed:abc");
        // closed-form digests (sha256sum), not the digest recomputed the way the code computes it
        assertThat(SqsMessagePublisher.fifoId(longId))
                .isEqualTo("f218ad693278f540f882900153073c33e67fef5986ee466f1e2e394f9266a289");
        assertThat(SqsMessagePublisher.fifoId("has space"))
                .isEqualTo("47b5c36fc0b017ba576f10f988d0cbcbc78256dab5de0e4689980898e7c715e3");
        assertThat(SqsMessagePublisher.fifoId("has  space")).isNotEqualTo(SqsMessagePublisher.fifoId("has space"));
    }

    @Test
    void aDestinationWithoutQueueIsAClearError() {
        SqsMessagePublisher publisher = new SqsMessagePublisher(TestingSqs.client(), Map.of());

        assertThatThrownBy(() -> publisher.publish(new Outbox.Message(1, "m", "completed", BODY, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SQS_COMPLETED_QUEUE_URL");
    }

    private static List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> got = TestingSqs.client().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
        }
    }
}
