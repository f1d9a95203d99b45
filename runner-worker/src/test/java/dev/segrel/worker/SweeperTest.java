package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InMemoryAlignmentGraph;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SweeperTest {

    private static final String MANIFESTATION = "M";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    /** The graph of the job's manifestation: S0 and S1 in its segmentation, S1 also a page. */
    private final InMemoryAlignmentGraph graph = new GraphFixture()
            .manifestation(MANIFESTATION)
            .segmentation(MANIFESTATION, "seg", GraphFixture.seg("S0", 0, 10), GraphFixture.seg("S1", 10, 25))
            .pagination(MANIFESTATION, "pages", GraphFixture.seg("S1", 0, 100), GraphFixture.seg("S2", 25, 40))
            .toInMemoryGraph();
    private final Sweeper sweeper = new Sweeper(store, queue, graph, clock, Duration.ofMinutes(15));
    private final JobId job = JobId.random();

    @Test
    void tasksWhoseMessagesWereLostAreReDispatchedOnceTheyHaveBeenQuietLongEnough() {
        store.createJob(JobTestData.aJob().withId(job).withManifestation(MANIFESTATION).withTasks(3).build(),
                clock.instant());

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

    @Test
    void aLegacyTaskWithoutASpanWhoseMessageWasLostGetsItsSpanFromTheGraph() {
        store.createJob(JobTestData.aJob().withId(job).withManifestation(MANIFESTATION).withTasks(4).withoutSpans()
                .build(), clock.instant());
        clock.advance(Duration.ofMinutes(16));

        assertThat(sweeper.sweepOnce()).as("S3 is in no annotation of M: not sent").isEqualTo(3);

        List<TaskMessage.Parsed> sent = queue.receive(10, Duration.ZERO).stream()
                .map(m -> (TaskMessage.Parsed) TaskMessage.parse(m.body()))
                .toList();
        assertThat(sent).extracting(p -> p.requests().get(0).segmentId() + "=" + p.requests().get(0).span())
                .containsExactlyInAnyOrder(
                        "S0=" + new Span(0, 10),
                        "S1=" + new Span(10, 25), // the segmentation wins over the pagination
                        "S2=" + new Span(25, 40));
        clock.advance(Duration.ofMinutes(16));
        assertThat(sweeper.sweepOnce()).as("all four still queued and quiet again: S3 still not sent")
                .isEqualTo(3);
    }

    @Test
    void whileTheGraphIsUnavailableSpanLessTasksWaitAndTheGraphIsAskedOncePerManifestation() {
        AtomicInteger calls = new AtomicInteger();
        InterceptingGraph down = new InterceptingGraph(graph, () -> {
            calls.incrementAndGet();
            throw new GraphUnavailableException("graph is down");
        });
        Sweeper sweeping = new Sweeper(store, queue, down, clock, Duration.ofMinutes(15));
        store.createJob(JobTestData.aJob().withId(job).withManifestation(MANIFESTATION).withTasks(4).withoutSpans()
                .build(), clock.instant());
        clock.advance(Duration.ofMinutes(16));

        assertThat(sweeping.sweepOnce()).as("nothing sent without a span").isZero();
        assertThat(calls).as("one failed read for the four tasks of M").hasValue(1);
        assertThat(queue.receive(10, Duration.ZERO)).isEmpty();
    }
}
