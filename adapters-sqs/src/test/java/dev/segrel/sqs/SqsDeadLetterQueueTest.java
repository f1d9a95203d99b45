package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.sqs.SqsDeadLetterQueue.DeadLetter;
import dev.segrel.testkit.queue.TestingSqs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqsDeadLetterQueueTest {

    private QueueUrls urls;
    private SqsTaskQueue queue;
    private SqsDeadLetterQueue dlq;

    @BeforeEach
    void createQueues() {
        urls = TestingSqs.createQueues("dlq-ops");
        queue = new SqsTaskQueue(TestingSqs.client(), urls.queue(), Optional.empty(), Duration.ofSeconds(60));
        dlq = SqsDeadLetterQueue.of(TestingSqs.client(), SqsConfig.fromSettings(Settings.of(TestingSqs.settings(urls))))
                .orElseThrow();
    }

    private void deadLetter(String body, String reason) {
        queue.send(List.of(body));
        QueuedMessage m = queue.receive(1, Duration.ofSeconds(1)).get(0);
        queue.deadLetter(m, reason);
    }

    @Test
    void theDeadLetterQueueOfTheConfigurationIsFoundThroughTheRedrivePolicy() {
        assertThat(dlq.url()).isEqualTo(urls.deadLetter());
        assertThat(dlq.sourceQueueUrl()).isEqualTo(urls.queue());
    }

    @Test
    void peekShowsBodiesAndReasonsAndLeavesTheMessagesThere() {
        deadLetter("{\"a\":1}", "not a task: lacks job_id");
        deadLetter("{\"b\":2}", "unknown job");

        List<DeadLetter> first = dlq.peek(10);
        List<DeadLetter> again = dlq.peek(10);

        assertThat(first).extracting(DeadLetter::body).containsExactlyInAnyOrder("{\"a\":1}", "{\"b\":2}");
        assertThat(first).extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("not a task: lacks job_id", "unknown job");
        assertThat(first).allSatisfy(d -> assertThat(d.receiveCount()).isEqualTo(1));
        assertThat(again).hasSize(2);
    }

    @Test
    void peekReturnsAtMostMaxMessages() {
        for (int i = 0; i < 3; i++) {
            deadLetter("{\"n\":" + i + "}", "bad");
        }

        assertThat(dlq.peek(2)).hasSize(2);
    }

    @Test
    void redriveMovesTheMessagesBackToTheTaskQueue() {
        deadLetter("{\"x\":1}", "graph down");
        deadLetter("{\"x\":2}", "graph down");

        int moved = dlq.redrive(100);

        assertThat(moved).isEqualTo(2);
        assertThat(dlq.peek(10)).isEmpty();
        List<QueuedMessage> back = queue.receive(10, Duration.ofSeconds(1));
        assertThat(back).extracting(QueuedMessage::body).containsExactlyInAnyOrder("{\"x\":1}", "{\"x\":2}");
    }

    @Test
    void redriveOfAnEmptyQueueMovesNothing() {
        assertThat(dlq.redrive(10)).isZero();
    }
}
