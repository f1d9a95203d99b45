package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.port.out.PartialSendException;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.testkit.queue.TaskQueueContract;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class SqsTaskQueueTest extends TaskQueueContract {

    private QueueUrls urls;

    @Override
    protected TaskQueue newQueue() {
        urls = TestingSqs.createQueues(getClass().getSimpleName());
        // No SQS_DLQ_URL: the dead-letter queue is found through the RedrivePolicy.
        return new SqsTaskQueue(TestingSqs.client(), urls.queue(), Optional.empty(), Duration.ofSeconds(60));
    }

    @Override
    protected QueueAdmin adminOf(TaskQueue queue) {
        return new SqsQueueAdmin(TestingSqs.client(), urls.queue(), Optional.empty());
    }

    @Test
    void theDeadLetterQueueIsFoundThroughTheRedrivePolicy() {
        assertThat(((SqsTaskQueue) queue).deadLetterQueueUrl()).contains(urls.deadLetter());
    }

    @Test
    void aConfiguredDeadLetterQueueWinsOverTheRedrivePolicy() {
        String other = TestingSqs.createQueue("other-dlq", false);
        SqsTaskQueue explicit = new SqsTaskQueue(TestingSqs.client(), urls.queue(), Optional.of(other), Duration.ofSeconds(60));
        explicit.send(List.of("x"));
        QueuedMessage m = explicit.receive(1, Duration.ofSeconds(1)).get(0);

        explicit.deadLetter(m, "reason\nwith a newline");

        List<Message> moved = TestingSqs.client().receiveMessage(b -> b.queueUrl(other).waitTimeSeconds(1)
                .messageAttributeNames("All")).messages();
        assertThat(moved).extracting(Message::body).containsExactly("x");
        Map<String, MessageAttributeValue> attributes = moved.get(0).messageAttributes();
        assertThat(attributes.get(TaskQueue.DEAD_LETTER_REASON_ATTRIBUTE).stringValue()).isEqualTo("reason with a newline");
        assertThat(attributes.get(SqsTaskQueue.ORIGINAL_MESSAGE_ID_ATTRIBUTE).stringValue()).isEqualTo(m.messageId());
        assertThat(attributes.get(SqsTaskQueue.RECEIVE_COUNT_ATTRIBUTE).stringValue()).isEqualTo("1");
    }

    @Test
    void aQueueWithoutDeadLetterQueueRefusesToDeadLetter() {
        String plain = TestingSqs.createQueue("plain", false);
        SqsTaskQueue noDlq = new SqsTaskQueue(TestingSqs.client(), plain, Optional.empty(), Duration.ofSeconds(60));
        noDlq.send(List.of("x"));
        QueuedMessage m = noDlq.receive(1, Duration.ofSeconds(1)).get(0);

        assertThatThrownBy(() -> noDlq.deadLetter(m, "bad"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SQS_DLQ_URL");
        assertThat(new SqsQueueAdmin(TestingSqs.client(), plain, Optional.empty()).stats().deadLetterVisible()).isEmpty();
    }

    @Test
    void bodiesSqsRefusesAreReportedByIndexWhileTheOthersAreSent() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bodies.add(i == 11 ? "bad \uFFFF" : "ok " + i);
        }

        // SQS refuses such a body per entry; ElasticMQ refuses the whole request of its batch.
        assertThatThrownBy(() -> queue.send(bodies))
                .isInstanceOfSatisfying(PartialSendException.class, partial -> {
                    assertThat(partial.failedIndexes()).contains(11).allMatch(i -> i >= 10);
                    assertThat(partial.getMessage()).contains("of 12 messages were not sent");
                });
        assertThat(admin.stats().visible()).isBetween(10L, 11L);
    }

    @Test
    void sendRequestsAreBoundedBySqsTotalSizeAsWellAsByCount() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bodies.add("x".repeat(i < 6 ? 100_000 : 10));
        }
        Map<Integer, String> failed = new java.util.LinkedHashMap<>();

        List<List<Integer>> requests = SendRequests.requests(bodies, 60, failed);

        assertThat(requests).containsExactly(List.of(0, 1), List.of(2, 3), List.of(4, 5, 6, 7, 8, 9, 10, 11));
        assertThat(failed).isEmpty();
        assertThat(requests).allSatisfy(r -> assertThat(r.stream()
                .mapToLong(i -> bodies.get(i).length() + 60L).sum()).isLessThanOrEqualTo(TaskQueue.MAX_MESSAGE_BYTES));
    }

    @Test
    void largeBodiesWhoseSumIsOverOneRequestAreAllSentAndOneOverTheLimitAloneIsReportedByIndex() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bodies.add(i + "y".repeat(60_000));
        }
        bodies.add("z".repeat(TaskQueue.MAX_MESSAGE_BYTES + 1));

        assertThatThrownBy(() -> queue.send(bodies))
                .isInstanceOfSatisfying(PartialSendException.class, partial -> {
                    assertThat(partial.failedIndexes()).containsExactly(10);
                    assertThat(partial.getMessage()).contains("1 of 11 messages were not sent");
                });

        assertThat(receiveAtLeast(10, 30)).extracting(m -> m.body().substring(0, 1))
                .containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void aMessageTakenByAnAbandonedLongPollIsReleasedAtOnce() throws Exception {
        Thread receiver = Thread.ofPlatform().start(() -> queue.receive(1, Duration.ofSeconds(20)));
        // abandon the poll once it is in flight, not before it began
        Awaiting.until(() -> insideReceive(receiver), inside -> inside, Duration.ofSeconds(10));
        receiver.interrupt();
        receiver.join(5_000);
        assertThat(receiver.isAlive()).isFalse();

        queue.send(List.of("not lost"));

        // Whether or not the abandoned poll took it, the message is receivable well within its 60 s visibility.
        assertThat(receiveAtLeast(1, 15)).extracting(QueuedMessage::body).containsExactly("not lost");
    }

    @Test
    void aMissingQueueIsReportedAsUnavailableNamingTheQueue() {
        String gone = urls.queue() + "-gone";
        SqsTaskQueue missing = new SqsTaskQueue(TestingSqs.client(), gone, Optional.of(urls.deadLetter()), Duration.ofSeconds(60));

        assertThatThrownBy(() -> missing.receive(1, Duration.ZERO))
                .isInstanceOf(QueueUnavailableException.class)
                .hasMessageContaining(gone);
    }
}
