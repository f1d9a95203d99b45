package dev.segrel.devstack.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class EmbeddedSqsTest {

    @Test
    void startsOnAFreePortAndCreatesTheQueueTrioWithARedrivePolicy() {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0)) {
            System.out.println("ElasticMQ started in " + sqs.startTime().toMillis() + " ms");

            QueueUrls urls = sqs.createQueues("tasks", 3);

            assertThat(sqs.port()).isPositive();
            assertThat(urls.queue()).startsWith(sqs.endpoint()).endsWith("/tasks");
            assertThat(urls.deadLetter()).startsWith(sqs.endpoint()).endsWith("/tasks-dlq");
            assertThat(urls.completed()).startsWith(sqs.endpoint()).endsWith("/tasks-completed");
            Map<QueueAttributeName, String> attributes = sqs.client()
                    .getQueueAttributes(b -> b.queueUrl(urls.queue()).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                    .attributes();
            assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                    .contains("tasks-dlq")
                    .containsPattern("\"maxReceiveCount\":\"?3");
            assertThat(sqs.createQueues("tasks", 3)).isEqualTo(urls);
        }
    }

    @Test
    void createsFifoTriosForFifoNames() {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0)) {
            QueueUrls urls = sqs.createQueues("jobs.fifo");

            assertThat(urls.deadLetter()).endsWith("/jobs-dlq.fifo");
            assertThat(urls.completed()).endsWith("/jobs-completed.fifo");
        }
    }
}
