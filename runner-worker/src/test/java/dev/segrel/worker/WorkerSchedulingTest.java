package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.testkit.graph.InMemoryAlignmentGraph;
import dev.segrel.testkit.outbox.InMemoryMessagePublisher;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryRejectedMessages;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import dev.segrel.testkit.time.Awaiting;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's scheduled jobs (heartbeat, relay, sweeper) stay on time whatever one of them does: a
 * blocked relay or sweeper, a beat that hangs, a job that throws an {@code Error}.
 */
class WorkerSchedulingTest {

    /** Short, so that a beat is due every 200 ms and liveness is judged over 600 ms of wall time. */
    private static final Duration VISIBILITY = Duration.ofMillis(600);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, VISIBILITY);
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final WorkerTest.GatedGraph graph = new WorkerTest.GatedGraph(InMemoryAlignmentGraph.of(WorkerFixtures.twoTexts()));
    private final RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));
    private final ProcessTask processTask = SegmentRelations.processTask(store, store, graph, retry, Duration.ofMinutes(5),
            clock, WorkerFixtures.lowJitter());
    private final HandleTaskMessage real = SegmentRelations.handleTaskMessage(processTask, store,
            new InMemoryRejectedMessages(), retry, clock, WorkerFixtures.lowJitter());
    private final RelayOutbox relay = SegmentRelations.relayOutbox(store.outbox(), InMemoryMessagePublisher.completed(),
            clock, "w-test");
    /** Opened at the end of each test: whatever blocks on it returns. */
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger beats = new AtomicInteger();
    private final JobId job = JobId.random();
    private Worker worker;

    @AfterEach
    void stop() {
        released.countDown();
        graph.gate.countDown();
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void theHeartbeatKeepsItsTimeWhileTheRelayAndTheSweeperAreBlocked() {
        RelayOutbox blockedRelay = new RelayOutbox() {
            @Override
            public RelayReport relayOnce() {
                return relayAll();
            }

            @Override
            public RelayReport relayAll() {
                await(released);
                return relay.relayAll();
            }
        };
        SweepStranded blockedSweeper = () -> {
            await(released);
            return new SweepStranded.SweepReport(0, 0, 0, 0);
        };
        oneTaskInFlight();
        start(handler(n -> { }), blockedRelay, blockedSweeper, Duration.ofMillis(20));

        Awaiting.until(beats::get, n -> n >= 5, PATIENCE);

        assertThat(worker.isLive()).isTrue();
    }

    @Test
    void aBeatThatCannotFinishIsAbandonedAndTheNextStartsOnTime() {
        oneTaskInFlight();
        start(handler(n -> {
            if (n == 1) {
                await(released); // the first beat hangs, as on a black-holed database
            }
        }), relay, idleSweeper(), Duration.ofHours(1));

        Awaiting.until(beats::get, n -> n >= 4, PATIENCE);
    }

    @Test
    void liveGoesDownWhenNoBeatFinishesWithinTheVisibilityPeriodAndUpAgainWhenOneDoes() {
        CountDownLatch restored = new CountDownLatch(1);
        oneTaskInFlight();
        start(handler(n -> await(restored)), relay, idleSweeper(), Duration.ofHours(1));

        Awaiting.until(worker::isLive, live -> !live, PATIENCE);
        restored.countDown();

        Awaiting.until(worker::isLive, live -> live, PATIENCE);
    }

    @Test
    void aWorkerWhoseClaimsHangWithoutALeaseGoesDownWhenTheStoreProbeHangsToo() {
        CountDownLatch restored = new CountDownLatch(1);
        AtomicInteger probes = new AtomicInteger();
        HandleTaskMessage claimsHang = claimsHang();
        oneTaskInFlight();
        worker = new Worker(new Worker.Parts(queue, claimsHang, relay, idleSweeper(), new WorkerMetrics(), clock, "w-test",
                1, Duration.ofMillis(100), VISIBILITY, Duration.ofMillis(10), Duration.ofHours(1)));
        worker.heartbeatStoreProbe(() -> {
            probes.incrementAndGet();
            await(restored);
        });
        worker.start();
        Awaiting.until(worker::inFlight, n -> n == 1, PATIENCE);

        Awaiting.until(worker::isLive, live -> !live, PATIENCE);
        restored.countDown();

        Awaiting.until(worker::isLive, live -> live, PATIENCE);
        assertThat(probes.get()).isPositive();
    }

    @Test
    void aStoreThatRefusesTheProbeAtOnceIsAnAnswerAndTheWorkerStaysLive() {
        HandleTaskMessage claimsHang = claimsHang();
        oneTaskInFlight();
        AtomicInteger probes = new AtomicInteger();
        worker = new Worker(new Worker.Parts(queue, claimsHang, relay, idleSweeper(), new WorkerMetrics(), clock, "w-test",
                1, Duration.ofMillis(100), VISIBILITY, Duration.ofMillis(10), Duration.ofHours(1)));
        worker.heartbeatStoreProbe(() -> {
            probes.incrementAndGet();
            throw new dev.segrel.core.port.out.StoreUnavailableException("connection refused", null);
        });
        worker.start();
        Awaiting.until(worker::inFlight, n -> n == 1, PATIENCE);

        Awaiting.until(probes::get, n -> n >= 5, PATIENCE); // five beats: longer than the visibility period

        assertThat(worker.isLive()).isTrue();
    }

    @Test
    void aScheduledJobThatThrowsAnErrorKeepsBeingScheduled() {
        AtomicInteger sweeps = new AtomicInteger();
        SweepStranded failingOnce = () -> {
            if (sweeps.incrementAndGet() == 1) {
                throw new AssertionError("a bug in the sweeper");
            }
            return new SweepStranded.SweepReport(0, 0, 0, 0);
        };
        oneTaskInFlight();
        start(handler(n -> {
            if (n == 1) {
                throw new StackOverflowError();
            }
        }), relay, failingOnce, Duration.ofMillis(20));

        Awaiting.until(sweeps::get, n -> n >= 3, PATIENCE);
        Awaiting.until(beats::get, n -> n >= 3, PATIENCE);
    }

    /** The real handler, whose heartbeat first counts the beat, then does {@code before} with its number. */
    private HandleTaskMessage handler(IntConsumer before) {
        return new HandleTaskMessage() {
            @Override
            public Handled handle(Message message) {
                return real.handle(message);
            }

            @Override
            public List<Handled> handleAll(List<Message> messages) {
                return real.handleAll(messages);
            }

            @Override
            public int extendLeases(Instant now) {
                before.accept(beats.incrementAndGet());
                return real.extendLeases(now);
            }

            @Override
            public int releaseAll(Instant now) {
                return real.releaseAll(now);
            }
        };
    }

    /** A handler whose claims hang, as on a black-holed store: messages in hand, no lease yet. */
    private HandleTaskMessage claimsHang() {
        return new HandleTaskMessage() {
            @Override
            public Handled handle(Message message) {
                await(released);
                return real.handle(message);
            }

            @Override
            public List<Handled> handleAll(List<Message> messages) {
                await(released);
                return real.handleAll(messages);
            }

            @Override
            public int extendLeases(Instant now) {
                beats.incrementAndGet();
                return real.extendLeases(now);
            }

            @Override
            public int releaseAll(Instant now) {
                return real.releaseAll(now);
            }
        };
    }

    private static SweepStranded idleSweeper() {
        return () -> new SweepStranded.SweepReport(0, 0, 0, 0);
    }

    private void oneTaskInFlight() {
        graph.gate = new CountDownLatch(1);
        store.createJob(JobTestData.aJob().withId(job).withManifestation("M1").withTasks(1).build(), clock.instant());
        queue.send(List.of(TaskMessage.toSingleJson(new TaskRequest(job, "M1", "S0", null))));
    }

    private void start(HandleTaskMessage handler, RelayOutbox relay, SweepStranded sweeper, Duration sweepInterval) {
        worker = new Worker(new Worker.Parts(queue, handler, relay, sweeper, new WorkerMetrics(), clock, "w-test", 1,
                Duration.ofMillis(100), VISIBILITY, Duration.ofMillis(10), sweepInterval));
        worker.start();
        Awaiting.until(() -> graph.waiting.get(), n -> n == 1, PATIENCE);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
