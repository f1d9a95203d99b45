package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The backlog's gauges show the last poll, age with the clock between polls, and read NaN once stale or failed. */
class BacklogPollerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, Duration.ofSeconds(30));
    private final WorkerMetrics metrics = new WorkerMetrics(clock);
    private final AtomicBoolean storeDown = new AtomicBoolean();
    /** The in-memory store, made unreachable on demand (as {@link WorkerFixtures.FlakyGraph} does for a graph). */
    private final Backlog backlog = () -> {
        if (storeDown.get()) {
            throw new StoreUnavailableException("database at postgres:5432 is unavailable", null);
        }
        return store.snapshot();
    };
    private final BacklogPoller poller = new BacklogPoller(backlog, queue, metrics.backlog());

    private double gauge(String name, String... tags) {
        return metrics.registry().get(name).tags(tags).gauge().value();
    }

    @Test
    void thePollSetsTheFiguresAndTheAgesGrowWithTheClockUntilTheyAreStale() {
        store.createJob(JobTestData.aJob().withId(JobId.random()).withTasks(3).build(), clock.instant());
        queue.send(List.of("{}", "{}"));

        poller.refresh();
        clock.advance(Duration.ofSeconds(40));

        assertThat(gauge("segrel.backlog.tasks")).isEqualTo(3.0);
        assertThat(gauge("segrel.backlog.oldest.task.age.seconds")).isEqualTo(40.0);
        assertThat(gauge("segrel.outbox.pending")).isZero();
        assertThat(gauge("segrel.outbox.oldest.age.seconds")).isZero();
        assertThat(gauge("segrel.queue.messages", "state", "visible")).isEqualTo(2.0);
        assertThat(gauge("segrel.dead_letter_queue.messages")).isZero();

        clock.advance(BacklogGauges.STALE_AFTER);

        assertThat(gauge("segrel.backlog.tasks")).as("no poll for three intervals").isNaN();
        assertThat(gauge("segrel.queue.messages", "state", "visible")).isNaN();
    }

    @Test
    void aFailedPollMarksOnlyItsFiguresStaleAndIsCountedUntilOneSucceeds() {
        poller.refresh();
        storeDown.set(true);

        poller.refresh();

        assertThat(gauge("segrel.backlog.tasks")).isNaN();
        assertThat(gauge("segrel.outbox.oldest.age.seconds")).isNaN();
        assertThat(gauge("segrel.queue.messages", "state", "visible")).isZero();
        assertThat(metrics.registry().get("segrel.backlog.poll.failures").tags("source", "store").counter().count())
                .isEqualTo(1.0);

        storeDown.set(false);
        poller.refresh();

        assertThat(gauge("segrel.backlog.tasks")).isZero();
    }

    @Test
    void aCompletionMessageThatFailedTheAttemptLimitIsCountedAsStuck() {
        InMemoryOutbox outbox = new InMemoryOutbox();
        outbox.add("job-completed:stuck", "completed", "{}", clock.instant());
        outbox.add("job-completed:fine", "completed", "{}", clock.instant());
        BacklogPoller withOutbox = new BacklogPoller(backlog, queue, metrics.backlog(), outbox);
        withOutbox.refresh();
        double before = gauge("segrel.outbox.stuck");
        for (int i = 0; i < Outbox.STUCK_AFTER_ATTEMPTS; i++) {
            Outbox.Message m = outbox.take(10, "relay", clock.instant(), Duration.ofSeconds(60)).stream()
                    .filter(x -> x.messageId().equals("job-completed:stuck")).findFirst().orElseThrow();
            outbox.markFailed(m, "relay", "down", clock.instant(), clock.instant());
        }

        withOutbox.refresh();

        assertThat(before).isZero();
        assertThat(gauge("segrel.outbox.stuck")).isEqualTo(1.0);
        storeDown.set(true);
        withOutbox.refresh();
        assertThat(gauge("segrel.outbox.stuck")).as("unknown while the store is down").isNaN();
    }
}
