package dev.segrel.testkit.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.QueueAdmin.DeadLetter;
import dev.segrel.core.port.out.QueueAdmin.QueueStats;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link QueueAdmin} does to its task queue and dead-letter queue. Extend it with
 * factories for a fresh, empty queue with a dead-letter queue (and one without), each with its admin.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class QueueAdminContract {

    private static final Duration SHORT_WAIT = Duration.ofSeconds(1);

    /** A queue and its administration. */
    public record Queues(TaskQueue queue, QueueAdmin admin) {}

    /** A new, empty queue with a dead-letter queue. */
    protected abstract Queues newQueues();

    /** A new, empty queue without a dead-letter queue. */
    protected abstract Queues newQueuesWithoutDeadLetterQueue();

    @Test
    void aFreshQueueCountsNothingAndNamesItsDeadLetterQueue() {
        Queues q = newQueues();

        assertThat(q.admin().stats()).isEqualTo(new QueueStats(0, 0, 0, OptionalLong.of(0)));
        assertThat(q.admin().queueUrl()).isNotBlank();
        assertThat(q.admin().deadLetterQueueUrl()).isPresent().get().isNotEqualTo(q.admin().queueUrl());
    }

    @Test
    void statsCountVisibleInFlightAndTheDeadLetterQueue() {
        Queues q = newQueues();
        q.queue().send(List.of("a", "b", "c"));
        QueuedMessage one = receive(q.queue(), 1).get(0);

        assertThat(q.admin().stats()).isEqualTo(new QueueStats(2, 1, 0, OptionalLong.of(0)));

        q.queue().deadLetter(one, "bad");
        assertThat(q.admin().stats()).isEqualTo(new QueueStats(2, 0, 0, OptionalLong.of(1)));
    }

    @Test
    void purgeRemovesEveryMessage() {
        Queues q = newQueues();
        q.queue().send(List.of("a", "b", "c"));
        receive(q.queue(), 1);

        q.admin().purge();

        assertThat(q.queue().receive(10, Duration.ZERO)).isEmpty();
        assertThat(q.admin().stats()).isEqualTo(new QueueStats(0, 0, 0, OptionalLong.of(0)));
    }

    @Test
    void peekShowsDeadLettersWithTheirReasonsAndLeavesThemThere() {
        Queues q = newQueues();
        q.queue().send(List.of("poison"));
        q.queue().deadLetter(receive(q.queue(), 1).get(0), "not JSON");

        List<DeadLetter> first = q.admin().peekDeadLetters(10);
        List<DeadLetter> second = q.admin().peekDeadLetters(10);

        assertThat(first).singleElement().satisfies(d -> {
            assertThat(d.body()).isEqualTo("poison");
            assertThat(d.reason()).isEqualTo("not JSON");
            assertThat(d.messageId()).isNotBlank();
        });
        assertThat(second).extracting(DeadLetter::body).containsExactly("poison");
        assertThat(q.admin().stats().deadLetterVisible()).hasValue(1);
    }

    @Test
    void redriveMovesDeadLettersBackToTheTaskQueueUpToTheLimit() {
        Queues q = newQueues();
        q.queue().send(List.of("one", "two", "three"));
        for (QueuedMessage m : receiveAll(q.queue(), 3)) {
            q.queue().deadLetter(m, "cause fixed since");
        }

        int moved = q.admin().redriveDeadLetters(2);
        int rest = q.admin().redriveDeadLetters(10);

        assertThat(moved).isEqualTo(2);
        assertThat(rest).isEqualTo(1);
        assertThat(receiveAll(q.queue(), 3)).extracting(QueuedMessage::body)
                .containsExactlyInAnyOrder("one", "two", "three");
        assertThat(q.admin().stats().deadLetterVisible()).hasValue(0);
    }

    @Test
    void withoutADeadLetterQueueItsOperationsAreRefused() {
        Queues q = newQueuesWithoutDeadLetterQueue();

        assertThat(q.admin().deadLetterQueueUrl()).isEmpty();
        assertThat(q.admin().stats().deadLetterVisible()).isEmpty();
        assertThatThrownBy(() -> q.admin().peekDeadLetters(10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> q.admin().redriveDeadLetters(10)).isInstanceOf(IllegalStateException.class);
    }

    private static List<QueuedMessage> receive(TaskQueue queue, int max) {
        List<QueuedMessage> got = queue.receive(max, SHORT_WAIT);
        assertThat(got).isNotEmpty();
        return got;
    }

    private static List<QueuedMessage> receiveAll(TaskQueue queue, int n) {
        List<QueuedMessage> all = new ArrayList<>();
        for (int round = 0; round < 30 && all.size() < n; round++) {
            all.addAll(queue.receive(10, SHORT_WAIT));
        }
        assertThat(all).hasSize(n);
        return all;
    }
}
