package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweeperTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final Sweeper sweeper = new Sweeper(store, queue, clock, Duration.ofMinutes(15));
    private final JobId job = JobId.random();

    @Test
    void tasksWhoseMessagesWereLostAreReDispatchedOnceTheyHaveBeenQuietLongEnough() {
        store.createJob(JobTestData.aJob().withId(job).withTasks(3).build(), clock.instant());

        assertThat(sweeper.sweepOnce()).as("fresh tasks are left alone").isZero();
        clock.advance(Duration.ofMinutes(16));
        int sent = sweeper.sweepOnce();

        assertThat(sent).isEqualTo(3);
        List<TaskQueue.QueuedMessage> messages = queue.receive(10, Duration.ZERO);
        assertThat(messages).extracting(m -> TaskMessage.parse(m.body()))
                .allSatisfy(p -> assertThat(p).isInstanceOf(TaskMessage.Parsed.class));
        assertThat(sweeper.sweepOnce()).as("not offered again right away").isZero();
    }

    @Test
    void aTaskWhoseWorkerDiedIsReDispatchedWhenItsLeaseExpires() {
        store.createJob(JobTestData.aJob().withId(job).withTasks(1).build(), clock.instant());
        store.claim(new TaskKey(job, "S0"), null, "w-dead", clock.instant(), Duration.ofSeconds(60));

        clock.advance(Duration.ofSeconds(30));
        assertThat(sweeper.sweepOnce()).as("the lease is still live").isZero();
        clock.advance(Duration.ofSeconds(31));

        assertThat(sweeper.sweepOnce()).isEqualTo(1);
        String body = queue.receive(1, Duration.ZERO).get(0).body();
        assertThat(body).contains("\"job_id\":\"" + job + "\"", "\"segment_id\":\"S0\"", "\"start\":0", "\"end\":10");
    }
}
