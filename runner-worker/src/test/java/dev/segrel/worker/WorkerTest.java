package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.testkit.outbox.InMemoryMessagePublisher;
import dev.segrel.testkit.graph.InMemoryAlignmentGraph;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryRejectedMessages;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import dev.segrel.testkit.time.Awaiting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker loop on the in-memory fakes (each passes its port's contract suite). */
class WorkerTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, VISIBILITY);
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final InMemoryRejectedMessages rejected = new InMemoryRejectedMessages();
    private final GatedGraph graph = new GatedGraph(InMemoryAlignmentGraph.of(WorkerFixtures.twoTexts()));
    private final RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));
    private final ProcessTask processTask = SegmentRelations.processTask(store, store, graph, retry, VISIBILITY, clock,
            WorkerFixtures.lowJitter());
    private final HandleTaskMessage handler = SegmentRelations.handleTaskMessage(processTask, store, rejected, retry, clock,
            WorkerFixtures.lowJitter());
    private final InMemoryOutbox outbox = store.outbox();
    private final RelayOutbox relay = SegmentRelations.relayOutbox(outbox, InMemoryMessagePublisher.completed(), clock,
            "w-test");
    private final WorkerMetrics metrics = new WorkerMetrics();
    private final AtomicInteger sweeps = new AtomicInteger();
    private final JobId job = JobId.random();
    private Worker worker;

    /** A graph whose searches wait at a gate while it is closed, so tasks stay in flight on demand. */
    static final class GatedGraph implements AlignmentGraph {
        final AlignmentGraph delegate;
        final AtomicInteger waiting = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        GatedGraph(AlignmentGraph delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
            waiting.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
            return delegate.alignedSegments(probes);
        }

        @Override
        public List<List<Segment>> segmentationSegments(List<Probe> probes) {
            return delegate.segmentationSegments(probes);
        }

        @Override
        public boolean manifestationExists(String manifestationId) {
            return delegate.manifestationExists(manifestationId);
        }

        @Override
        public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
            return delegate.segmentsOf(manifestationId, source);
        }
    }

    /** {@code messages} in hand as one set, whose first search waits at the closed gate. */
    private void awaitSetInFlight(int messages) {
        Awaiting.until(() -> worker.inFlight() == messages && graph.waiting.get() == 1, held -> held,
                Duration.ofSeconds(30));
        JobStatus status = store.jobStatus(job).orElseThrow();
        assertThat(status.inProgress()).as("claimed as one set").isEqualTo(messages);
    }

    private Worker start(int concurrency) {
        return start(concurrency, queue);
    }

    private Worker start(int concurrency, InMemoryTaskQueue queue) {
        SweepStranded sweeper = () -> {
            sweeps.incrementAndGet();
            return new SweepStranded.SweepReport(0, 0, 0, 0);
        };
        worker = new Worker(new Worker.Parts(queue, handler, relay, sweeper, metrics, clock, "w-test", concurrency,
                Duration.ofMillis(100), VISIBILITY, Duration.ofSeconds(1), Duration.ofHours(1)));
        worker.start();
        return worker;
    }

    @AfterEach
    void stop() {
        graph.gate.countDown();
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
    }

    private void enqueue(int tasks) {
        store.createJob(JobTestData.aJob().withId(job).withManifestation("M1").withTasks(tasks).build(), clock.instant());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            bodies.add(TaskMessage.toSingleJson(new TaskRequest(job, "M1", "S" + i, null)));
        }
        queue.send(bodies);
    }

    @Test
    void everyTaskIsCompletedAndEveryMessageAcknowledged() {
        enqueue(10);

        start(4);

        Awaiting.until(() -> store.jobStatus(job).orElseThrow().state(), JobState::isTerminal, Duration.ofSeconds(30));
        Awaiting.until(queue::stats, s -> s.visible() + s.inFlight() == 0, Duration.ofSeconds(10));
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(10);
        assertThat(metrics.scrape()).contains("segrel_tasks_completed_total{environment=\"default\"} 10.0");
    }

    @Test
    void aPoisonBodyIsRecordedWithItsReasonAndDeadLetteredWhileRealTasksGoOn() {
        enqueue(2);
        queue.send(List.of("{not json", "{\"job_id\":\"" + job + "\",\"manifestation_id\":\"M1\",\"segment_id\":\"S0\","
                + "\"start\":9,\"end\":3}"));

        start(2);

        Awaiting.until(queue::deadLetters, d -> d.size() == 2, Duration.ofSeconds(30));
        Awaiting.until(() -> store.jobStatus(job).orElseThrow().state(), JobState::isTerminal, Duration.ofSeconds(30));
        assertThat(rejected.all()).extracting(InMemoryRejectedMessages.Rejection::reason)
                .allSatisfy(reason -> assertThat(reason).startsWith("poison message: "))
                .hasSize(2);
        assertThat(queue.deadLetters()).extracting(QueueAdmin.DeadLetter::body)
                .contains("{not json");
        assertThat(worker.isLive()).isTrue();
    }

    @Test
    void withoutADeadLetterQueueAPoisonMessageIsRecordedOnceAndDeletedNotReceivedForever() {
        InMemoryTaskQueue noDeadLetters = InMemoryTaskQueue.withoutDeadLetterQueue(clock, VISIBILITY);
        noDeadLetters.send(List.of("{not json"));

        start(1, noDeadLetters);

        Awaiting.until(noDeadLetters::stats, q -> q.visible() + q.inFlight() == 0, Duration.ofSeconds(10));
        clock.advance(VISIBILITY.multipliedBy(2));
        assertThat(noDeadLetters.receive(10, Duration.ZERO)).as("deleted: it never comes back").isEmpty();
        assertThat(rejected.all()).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("poison message: "));
        assertThat(DeadLetterQueueCheck.warnIfNone(noDeadLetters)).isFalse();
        assertThat(DeadLetterQueueCheck.warnIfNone(queue)).isTrue();
    }

    @Test
    void anUnknownTaskIsDeadLetteredWithItsReason() {
        queue.send(List.of(TaskMessage.toSingleJson(new TaskRequest(JobId.random(), "M1", "S0", null))));

        start(1);

        Awaiting.until(queue::deadLetters, d -> d.size() == 1, Duration.ofSeconds(30));
        assertThat(queue.deadLetters().get(0).reason()).contains("unknown task");
        assertThat(rejected.all()).hasSize(1);
    }

    @Test
    void theWorkerNeverReceivesMoreMessagesThanItCanStart() {
        graph.gate = new CountDownLatch(1);
        enqueue(10);

        start(3);

        // the three messages of the receive are one set: its first search waits at the gate
        awaitSetInFlight(3);
        assertThat(queue.stats().inFlight()).isEqualTo(3);
        assertThat(queue.stats().visible()).isEqualTo(7);
    }

    @Test
    void oneHeartbeatExtendsBothTheMessagesVisibilityAndTheTasksLease() {
        graph.gate = new CountDownLatch(1);
        enqueue(1);
        start(1);
        Awaiting.until(() -> graph.waiting.get(), n -> n == 1, Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(50));
        worker.heartbeat();
        clock.advance(Duration.ofSeconds(50)); // 100 s after the claim: past the first 60 s of both

        assertThat(queue.stats().inFlight()).as("message still invisible").isEqualTo(1);
        TaskClaims.ClaimResult other = store.claim(new TaskKey(job, "S0"), null, "w-other", clock.instant(), VISIBILITY);
        assertThat(other).isInstanceOfSatisfying(TaskClaims.HeldByOther.class,
                h -> assertThat(h.until()).isEqualTo(Instant.parse("2026-01-01T00:01:50Z")));
    }

    @Test
    void shutdownReleasesWhatDidNotFinishWithinTheGrace() {
        graph.gate = new CountDownLatch(1);
        enqueue(2);
        start(2);
        awaitSetInFlight(2);

        boolean finished = worker.stop(Duration.ofMillis(200));
        worker = null;

        assertThat(finished).isFalse();
        assertThat(queue.stats().visible()).as("both messages visible again at once").isEqualTo(2);
        JobStatus status = store.jobStatus(job).orElseThrow();
        assertThat(status.queued()).isEqualTo(2);
        assertThat(status.inProgress()).isZero();
        TaskClaims.ClaimResult next = store.claim(new TaskKey(job, "S0"), null, "w-next", clock.instant(), VISIBILITY);
        assertThat(next).isInstanceOf(TaskClaims.Claimed.class);
    }

    @Test
    void shutdownWaitsForTasksThatFinishWithinTheGrace() throws Exception {
        graph.gate = new CountDownLatch(1);
        enqueue(2);
        start(2);
        awaitSetInFlight(2);

        Thread opener = Thread.ofVirtual().start(() -> {
            Awaiting.until(() -> worker.inFlight(), n -> n == 2, Duration.ofSeconds(5));
            graph.gate.countDown();
        });
        boolean finished = worker.stop(Duration.ofSeconds(20));
        opener.join();
        worker = null;

        assertThat(finished).isTrue();
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(2);
        assertThat(queue.stats().visible() + queue.stats().inFlight()).isZero();
        List<TaskDetail> tasks = new ArrayList<>();
        store.forEachTask(job, tasks::add);
        assertThat(tasks).hasSize(2).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.COMPLETED));
    }
}
