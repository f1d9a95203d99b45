package dev.segrel.testkit.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InMemoryTaskQueueTest extends TaskQueueContract {

    private final MutableClock clock = MutableClock.startingNow();
    private InMemoryTaskQueue memory;

    @Override
    protected TaskQueue newQueue() {
        memory = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));
        return memory;
    }

    @Override
    protected QueueAdmin adminOf(TaskQueue queue) {
        return (InMemoryTaskQueue) queue;
    }

    /** The same queue passes the administration's contract. */
    @Nested
    class AsQueueAdmin extends QueueAdminContract {
        @Override
        protected Queues newQueues() {
            InMemoryTaskQueue q = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));
            return new Queues(q, q);
        }

        @Override
        protected Queues newQueuesWithoutDeadLetterQueue() {
            InMemoryTaskQueue q = InMemoryTaskQueue.withoutDeadLetterQueue(clock, Duration.ofSeconds(60));
            return new Queues(q, q);
        }
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Test
    void aMessageNotDeletedWithinItsVisibilityTimeoutIsDeliveredAgain() {
        queue.send(List.of("a"));
        QueuedMessage first = queue.receive(1, Duration.ZERO).get(0);

        clock.advance(Duration.ofSeconds(59));
        assertThat(queue.receive(1, Duration.ZERO)).isEmpty();
        clock.advance(Duration.ofSeconds(1));

        QueuedMessage again = queue.receive(1, Duration.ZERO).get(0);
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.receiveCount()).isEqualTo(2);
        queue.delete(List.of(first));
        assertThat(admin.stats().inFlight()).isEqualTo(1);
    }

    @Test
    void aMessageReceivedMoreThanMaxReceiveCountTimesMovesToTheDeadLetterQueue() {
        InMemoryTaskQueue redriving = InMemoryTaskQueue.withRedrive(clock, Duration.ofSeconds(10), 2);
        redriving.send(List.of("x"));

        for (int i = 0; i < 2; i++) {
            assertThat(redriving.receive(1, Duration.ZERO)).hasSize(1);
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(redriving.receive(1, Duration.ZERO)).isEmpty();
        assertThat(redriving.deadLetters()).extracting(InMemoryTaskQueue.DeadLetter::body).containsExactly("x");
    }

    @Test
    void deadLetteringWithoutADeadLetterQueueIsAnError() {
        InMemoryTaskQueue plain = InMemoryTaskQueue.withoutDeadLetterQueue(clock, Duration.ofSeconds(10));
        plain.send(List.of("x"));
        QueuedMessage m = plain.receive(1, Duration.ZERO).get(0);

        assertThatThrownBy(() -> plain.deadLetter(m, "bad")).isInstanceOf(IllegalStateException.class);
        assertThat(plain.stats().deadLetterVisible()).isEmpty();
    }
}
