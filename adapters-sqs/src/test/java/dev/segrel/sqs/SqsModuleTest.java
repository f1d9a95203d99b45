package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.testkit.queue.TestingSqs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class SqsModuleTest {

    @Test
    void wiresAWorkingQueueAndPublisherFromSettings() {
        QueueUrls urls = TestingSqs.createQueues("module");
        Settings settings = Settings.of(TestingSqs.settings(urls));
        Injector injector = Guice.createInjector(new SqsModule(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(Settings.class).toInstance(settings);
            }
        });

        TaskQueue queue = injector.getInstance(TaskQueue.class);
        queue.send(List.of("hello"));
        assertThat(queue.receive(1, Duration.ofSeconds(1))).extracting(TaskQueue.QueuedMessage::body).containsExactly("hello");
        injector.getInstance(MessagePublisher.class).publish(new Outbox.Message(1, "m1", "completed", "{}", 0));
        assertThat(TestingSqs.client().receiveMessage(b -> b.queueUrl(urls.completed()).waitTimeSeconds(1)).messages())
                .hasSize(1);
        assertThat(injector.getInstance(TaskQueue.class)).isSameAs(queue);
        assertThat(injector.getInstance(dev.segrel.core.port.out.QueueAdmin.class).queueUrl()).isEqualTo(((SqsTaskQueue) queue).queueUrl());
        injector.getInstance(SqsClient.class).close();
    }
}
