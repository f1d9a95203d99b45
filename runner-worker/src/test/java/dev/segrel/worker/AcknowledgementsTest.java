package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.time.Awaiting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AcknowledgementsTest {

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemoryTaskQueue real = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));

    /** The in-memory queue, its deletes held until released, as a slow SQS call is; an interrupt aborts one. */
    private static final class SlowDeletes implements TaskQueue {
        final TaskQueue delegate;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        SlowDeletes(TaskQueue delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<QueuedMessage> receive(int max, Duration wait) {
            return delegate.receive(max, wait);
        }

        @Override
        public void delete(List<QueuedMessage> messages) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("delete aborted: interrupted", e);
            }
            delegate.delete(messages);
        }

        @Override
        public void changeVisibility(List<QueuedMessage> messages, Duration visibility) {
            delegate.changeVisibility(messages, visibility);
        }

        @Override
        public void deadLetter(QueuedMessage message, String reason) {
            delegate.deadLetter(message, reason);
        }

        @Override
        public void send(List<String> bodies) {
            delegate.send(bodies);
        }
    }

    @Test
    void stoppingLetsTheDeleteUnderWayFinishAndDeletesWhatIsPendingBeforeItReturns() throws Exception {
        real.send(List.of("a", "b"));
        List<TaskQueue.QueuedMessage> received = real.receive(2, Duration.ZERO);
        SlowDeletes queue = new SlowDeletes(real);
        Acknowledgements acks = new Acknowledgements(queue);
        acks.start();
        acks.acknowledge(received.get(0));
        queue.entered.await();
        acks.acknowledge(received.get(1));

        Thread stopper = Thread.ofPlatform().start(acks::flushAndStop);
        Awaiting.until(stopper::getState, s -> s != Thread.State.NEW && s != Thread.State.RUNNABLE,
                Duration.ofSeconds(10));
        queue.release.countDown();
        stopper.join();

        assertThat(acks.stopped()).as("the deleter is joined before stop returns").isTrue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(real.receive(10, Duration.ZERO)).as("both deleted: none comes back after its visibility").isEmpty();
    }
}
