package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.in.SweepStranded.SweepReport;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A backlog older than the stranded period is not a loss: the sweeper compares it with the queue (item 4). */
class SweepBacklogTest {

    private static final Duration STRANDED_AFTER = Duration.ofMinutes(15);
    private static final int BACKLOG = 5_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final JobId job = JobId.random();

    private SweepStranded sweeper(QueueAdmin counts, int maxPerRun, int tasksPerMessage) {
        return SegmentRelations.sweepStranded(store, store, store, queue, counts,
                new GraphFixture().manifestation("M").toInMemoryGraph(), clock,
                new SweepStranded.Limits(STRANDED_AFTER, maxPerRun, tasksPerMessage));
    }

    /** A job of {@link #BACKLOG} tasks, its messages sent {@code perMessage} tasks each, as a producer would. */
    private void produce(int perMessage) {
        store.createJob(JobTestData.aJob().withId(job).withManifestation("M").withTasks(BACKLOG).build(), clock.instant());
        List<TaskRequest> requests = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            requests.add(new TaskRequest(job, "M", JobTestData.segmentId(i), JobTestData.spanOf(i)));
        }
        Enqueue.send(queue, requests, perMessage == 1 ? 0 : perMessage, BACKLOG, n -> {});
    }

    /** Takes {@code n} messages off the queue for good: lost. */
    private void lose(int n) {
        int lost = 0;
        while (lost < n) {
            List<TaskQueue.QueuedMessage> got = queue.receive(Math.min(TaskQueue.MAX_BATCH, n - lost), Duration.ZERO);
            queue.delete(got);
            lost += got.size();
        }
    }

    private long depth() {
        QueueAdmin.QueueStats stats = queue.stats();
        return stats.visible() + stats.inFlight() + stats.delayed();
    }

    @Test
    void aBacklogOfSingleMessagesOlderThanTheThresholdWithEveryMessageQueuedGetsNothing() {
        produce(1);
        clock.advance(STRANDED_AFTER.multipliedBy(4));

        SweepReport report = sweeper(queue, 500, 1).sweepOnce();

        assertThat(report).isEqualTo(new SweepReport(0, 0, 0, 0, 0, 0));
        assertThat(depth()).as("queue depth unchanged").isEqualTo(BACKLOG);
    }

    @Test
    void aBacklogOfBatchMessagesOlderThanTheThresholdGetsNothingAtTheDefaultTasksPerMessage() {
        produce(500);
        clock.advance(STRANDED_AFTER.multipliedBy(4));

        SweepReport report = sweeper(queue, 500, SweepStranded.Limits.BATCH_TASKS).sweepOnce();

        assertThat(report.sent()).isZero();
        assertThat(depth()).as("ten batch messages hold the 5,000 tasks").isEqualTo(10);
    }

    @Test
    void whenMessagesWereLostExactlyTheShortfallIsSentCappedPerSweepAndNoTaskTwice() {
        produce(1);
        lose(1_200);
        clock.advance(STRANDED_AFTER.plusMinutes(1));
        SweepStranded sweeper = sweeper(queue, 500, 1);

        List<Integer> sentPerSweep = new ArrayList<>();
        for (int sweep = 0; sweep < 5; sweep++) {
            sentPerSweep.add(sweeper.sweepOnce().sentQueueShort());
            clock.advance(SweepStrandedService.COUNTER_LAG);
        }

        assertThat(sentPerSweep).containsExactly(500, 500, 200, 0, 0);
        assertThat(depth()).as("the queue holds a message per task again").isEqualTo(BACKLOG);
    }

    @Test
    void theLongestUntouchedTasksAreSentFirst() {
        produce(1);
        clock.advance(Duration.ofMinutes(5));
        JobId newer = JobId.random();
        store.createJob(JobTestData.aJob().withId(newer).withManifestation("M").withTasks(10).build(), clock.instant());
        lose(BACKLOG); // every message lost: 5,010 tasks expect one, the queue holds none
        clock.advance(STRANDED_AFTER.plusMinutes(1));

        SweepReport report = sweeper(queue, 100, 1).sweepOnce();

        assertThat(report.sentQueueShort()).isEqualTo(100);
        List<String> jobs = new ArrayList<>();
        List<TaskQueue.QueuedMessage> got;
        while (!(got = queue.receive(TaskQueue.MAX_BATCH, Duration.ZERO)).isEmpty()) {
            got.forEach(m -> jobs.add(((TaskMessage.Parsed) TaskMessage.parse(m.body())).requests().get(0).jobId()
                    .toString()));
        }
        assertThat(jobs).hasSize(100).containsOnly(job.toString());
    }

    @Test
    void whenTheQueuesCountersCannotBeReadOnlyExpiredLeasesAreSent() {
        produce(1);
        lose(BACKLOG);
        store.claim(new TaskKey(job, "S0"), null, "w-dead", clock.instant(), Duration.ofSeconds(60));
        clock.advance(STRANDED_AFTER.plusMinutes(1));

        SweepReport report = sweeper(new UnreadableCounts(queue), 500, 1).sweepOnce();

        assertThat(report).isEqualTo(new SweepReport(1, 0, 1, 0, 0, 0));
        assertThat(depth()).isEqualTo(1);
    }

    /** The queue with its counters out of reach (SQS down for GetQueueAttributes). */
    private record UnreadableCounts(QueueAdmin queue) implements QueueAdmin {
        @Override
        public String queueUrl() {
            return queue.queueUrl();
        }

        @Override
        public Optional<String> deadLetterQueueUrl() {
            return queue.deadLetterQueueUrl();
        }

        @Override
        public QueueStats stats() {
            throw new QueueUnavailableException("could not read the attributes of " + queue.queueUrl());
        }

        @Override
        public void purge() {
            queue.purge();
        }

        @Override
        public List<DeadLetter> peekDeadLetters(int max) {
            return queue.peekDeadLetters(max);
        }

        @Override
        public int redriveDeadLetters(int max) {
            return queue.redriveDeadLetters(max);
        }
    }
}
