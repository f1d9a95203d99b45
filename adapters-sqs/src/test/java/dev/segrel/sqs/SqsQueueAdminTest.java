package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.QueueAdmin.DeadLetter;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.testkit.queue.QueueAdminContract;
import dev.segrel.testkit.queue.TestingSqs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqsQueueAdminTest extends QueueAdminContract {

    @Override
    protected Queues newQueues() {
        QueueUrls urls = TestingSqs.createQueues("admin");
        // No SQS_DLQ_URL: the dead-letter queue is found through the RedrivePolicy.
        return new Queues(new SqsTaskQueue(TestingSqs.client(), urls.queue(), Optional.empty(), Duration.ofSeconds(60)),
                new SqsQueueAdmin(TestingSqs.client(), urls.queue(), Optional.empty()));
    }

    @Override
    protected Queues newQueuesWithoutDeadLetterQueue() {
        String plain = TestingSqs.createQueue("admin-plain", false);
        return new Queues(new SqsTaskQueue(TestingSqs.client(), plain, Optional.empty(), Duration.ofSeconds(60)),
                new SqsQueueAdmin(TestingSqs.client(), plain, Optional.empty()));
    }

    @Test
    void theDeadLetterQueueOfTheConfigurationIsFoundThroughTheRedrivePolicy() {
        QueueUrls urls = TestingSqs.createQueues("admin-config");

        SqsQueueAdmin admin = SqsQueueAdmin.create(TestingSqs.client(), SqsConfig.fromSettings(Settings.of(TestingSqs.settings(urls))));

        assertThat(admin.queueUrl()).isEqualTo(urls.queue());
        assertThat(admin.deadLetterQueueUrl()).contains(urls.deadLetter());
    }

    @Test
    void peekReturnsAtMostMaxMessagesWithTheirReceiveCounts() {
        Queues q = newQueues();
        for (int i = 0; i < 3; i++) {
            q.queue().send(List.of("{\"n\":" + i + "}"));
            QueuedMessage m = q.queue().receive(1, Duration.ofSeconds(1)).get(0);
            q.queue().deadLetter(m, "bad");
        }

        List<DeadLetter> two = q.admin().peekDeadLetters(2);

        assertThat(two).hasSize(2).allSatisfy(d -> assertThat(d.receiveCount()).isEqualTo(1));
    }

    @Test
    void redriveOfAnEmptyDeadLetterQueueMovesNothing() {
        assertThat(newQueues().admin().redriveDeadLetters(10)).isZero();
    }
}
