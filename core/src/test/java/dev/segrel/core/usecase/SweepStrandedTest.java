package dev.segrel.core.usecase;

import static dev.segrel.core.usecase.UseCaseFixtures.drain;
import static dev.segrel.core.usecase.UseCaseFixtures.segmentIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.in.SweepStranded.SweepReport;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SweepStrandedTest {

    private static final String MANIFESTATION = "M";
    private static final Duration STRANDED_AFTER = Duration.ofMinutes(15);
    private static final Duration QUIET_LONG_ENOUGH = STRANDED_AFTER.plusMinutes(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    /** The graph of the job's manifestation: S0 and S1 in its segmentation, S1 also a page. */
    private final AlignmentGraph graph = new GraphFixture()
            .manifestation(MANIFESTATION)
            .segmentation(MANIFESTATION, "seg", GraphFixture.seg("S0", 0, 10), GraphFixture.seg("S1", 10, 25))
            .pagination(MANIFESTATION, "pages", GraphFixture.seg("S1", 0, 100), GraphFixture.seg("S2", 25, 40))
            .toInMemoryGraph();
    private final SweepStranded sweeper = sweeperOver(graph);
    private final JobId job = JobId.random();

    private SweepStranded sweeperOver(AlignmentGraph g) {
        return sweeperOver(g, SweepStranded.Limits.DEFAULT_MAX_PER_RUN, 1);
    }

    private SweepStranded sweeperOver(AlignmentGraph g, int maxPerRun, int tasksPerMessage) {
        return SegmentRelations.sweepStranded(store, store, store, queue, queue, g, clock,
                new SweepStranded.Limits(STRANDED_AFTER, maxPerRun, tasksPerMessage));
    }

    /** What a fleet does with the messages it gets: receives and deletes them (the queue's clock stands still). */
    private List<TaskRequest> consume() {
        List<String> bodies = new ArrayList<>();
        List<TaskQueue.QueuedMessage> got;
        while (!(got = queue.receive(TaskQueue.MAX_BATCH, Duration.ZERO)).isEmpty()) {
            got.forEach(m -> bodies.add(m.body()));
            queue.delete(got);
        }
        return UseCaseFixtures.requestsOf(bodies);
    }

    private void createJob(JobTestData data) {
        store.createJob(data.withId(job).withManifestation(MANIFESTATION).build(), clock.instant());
    }

    @Test
    void tasksWhoseMessagesWereLostAreReDispatchedOnceTheyHaveBeenQuietLongEnough() {
        createJob(JobTestData.aJob().withTasks(3));

        assertThat(sweeper.sweepOnce()).as("fresh tasks are left alone").isEqualTo(new SweepReport(0, 0, 0, 0));
        clock.advance(QUIET_LONG_ENOUGH);
        SweepReport report = sweeper.sweepOnce();

        assertThat(report).isEqualTo(new SweepReport(0, 3, 3, 0, 3, 0));
        List<TaskRequest> sent = drain(queue);
        assertThat(sent).hasSize(3);
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.jobId()).isEqualTo(job);
            assertThat(r.span()).isNotNull();
        });
        assertThat(segmentIds(sent)).containsExactlyInAnyOrder("S0", "S1", "S2");
        assertThat(sweeper.sweepOnce()).as("not offered again right away").isEqualTo(new SweepReport(0, 0, 0, 0));
    }

    @Test
    void aTaskWhoseWorkerDiedIsReDispatchedWhenItsLeaseExpires() {
        createJob(JobTestData.aJob().withTasks(1));
        store.claim(new TaskKey(job, "S0"), null, "w-dead", clock.instant(), Duration.ofSeconds(60));

        clock.advance(Duration.ofSeconds(30));
        assertThat(sweeper.sweepOnce()).as("the lease is still live").isEqualTo(new SweepReport(0, 0, 0, 0));
        clock.advance(Duration.ofSeconds(31));

        assertThat(sweeper.sweepOnce()).isEqualTo(new SweepReport(1, 0, 1, 0));
        assertThat(drain(queue)).containsExactly(new TaskRequest(job, MANIFESTATION, "S0", new Span(0, 10)));
    }

    @Test
    void aLegacyTaskWithoutASpanWhoseMessageWasLostGetsItsSpanFromTheGraph() {
        createJob(JobTestData.aJob().withTasks(4).withoutSpans());
        clock.advance(QUIET_LONG_ENOUGH);

        assertThat(sweeper.sweepOnce()).as("S3 is in no annotation of M: failed for good, not sent")
                .isEqualTo(new SweepReport(0, 4, 3, 0, 3, 1));

        assertThat(consume()).extracting(r -> r.segmentId() + "=" + r.span())
                .containsExactlyInAnyOrder(
                        "S0=" + new Span(0, 10),
                        "S1=" + new Span(10, 25), // the segmentation wins over the pagination
                        "S2=" + new Span(25, 40));
        var s3 = store.task(new TaskKey(job, "S3")).orElseThrow();
        assertThat(s3.state()).isEqualTo(dev.segrel.core.domain.TaskState.FAILED);
        assertThat(s3.error()).isEqualTo(
                "no span: segment S3 of manifestation M has no span in its task row, its message or the graph");
        assertThat(store.jobStatus(job).orElseThrow().failedSegments()).isEqualTo(1);
        clock.advance(QUIET_LONG_ENOUGH);
        assertThat(sweeper.sweepOnce()).as("the three still queued and quiet again, their messages consumed: sent again")
                .isEqualTo(new SweepReport(0, 3, 3, 0, 3, 0));
    }

    @Test
    void whileTheGraphIsUnavailableSpanLessTasksWaitAndTheGraphIsAskedOncePerManifestation() {
        AtomicInteger calls = new AtomicInteger();
        SweepStranded sweeping = sweeperOver(new InterceptingGraph(graph, () -> {
            calls.incrementAndGet();
            throw new GraphUnavailableException("graph is down");
        }));
        createJob(JobTestData.aJob().withTasks(4).withoutSpans());
        clock.advance(QUIET_LONG_ENOUGH);

        assertThat(sweeping.sweepOnce()).as("nothing sent without a span, nothing failed while the graph is down")
                .isEqualTo(new SweepReport(0, 4, 0, 4, 0, 0));
        assertThat(store.jobStatus(job).orElseThrow().failedSegments()).isZero();
        assertThat(calls).as("one failed read for the four tasks of M").hasValue(1);
        assertThat(drain(queue)).isEmpty();
    }

    @Test
    void moreStrandedTasksThanOneBatchAreAllSentOverTwoSweeps() {
        int tasks = SweepStranded.Limits.DEFAULT_MAX_PER_RUN + 100;
        createJob(JobTestData.aJob().withTasks(tasks));
        clock.advance(QUIET_LONG_ENOUGH);

        SweepReport first = sweeper.sweepOnce();
        List<String> sent = new ArrayList<>(segmentIds(consume()));
        clock.advance(SweepStrandedService.COUNTER_LAG);
        SweepReport second = sweeper.sweepOnce();
        sent.addAll(segmentIds(consume()));
        clock.advance(SweepStrandedService.COUNTER_LAG);

        int batch = SweepStranded.Limits.DEFAULT_MAX_PER_RUN;
        assertThat(first).isEqualTo(new SweepReport(0, batch, batch, 0, batch, 0));
        assertThat(second).isEqualTo(new SweepReport(0, 100, 100, 0, 100, 0));
        assertThat(sent).hasSize(tasks);
        assertThat(new HashSet<>(sent)).hasSize(tasks);
        assertThat(sweeper.sweepOnce().stranded()).as("every task has had its message since").isZero();
    }

    @Test
    void twoSweepersAtOnceOnOneStoreSendEachStrandedTaskOnce() throws Exception {
        int tasks = SweepStranded.Limits.DEFAULT_MAX_PER_RUN + 100;
        createJob(JobTestData.aJob().withTasks(tasks));
        clock.advance(QUIET_LONG_ENOUGH);
        SweepStranded other = sweeperOver(graph);
        List<String> sent = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // rounds of two sweeps at once, the fleet taking what they sent in between, until nothing is left
            for (int round = 0; round < 5 && sent.size() < tasks; round++) {
                CountDownLatch start = new CountDownLatch(1);
                Callable<SweepReport> first = () -> {
                    start.await();
                    return sweeper.sweepOnce();
                };
                Callable<SweepReport> second = () -> {
                    start.await();
                    return other.sweepOnce();
                };
                Future<SweepReport> a = threads.submit(first);
                Future<SweepReport> b = threads.submit(second);
                start.countDown();
                SweepReport ra = a.get(30, TimeUnit.SECONDS);
                SweepReport rb = b.get(30, TimeUnit.SECONDS);
                List<String> got = segmentIds(consume());
                assertThat(got).hasSize(ra.sent() + rb.sent());
                sent.addAll(got);
                clock.advance(SweepStrandedService.COUNTER_LAG);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(sent).as("every stranded task sent").hasSize(tasks);
        assertThat(new HashSet<>(sent)).as("no task sent twice").hasSize(tasks);
    }
}
