package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A task whose row and message give no span: the graph gives it one, or it fails for good (item 5). */
class SpanlessTaskTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final InMemoryTaskStore store = new InMemoryTaskStore(outbox);
    private final UseCaseFixtures.FlakyGraph graph =
            new UseCaseFixtures.FlakyGraph(UseCaseFixtures.twoTexts().toInMemoryGraph());
    private final ProcessTask processTask = SegmentRelations.processTask(
            store, store, graph.graph(), RETRY, LEASE, clock, UseCaseFixtures.lowJitter());
    private final JobId job = JobId.random();

    /** M1's S0 (in the graph) and S99 (in no annotation of M1), both stored without a span. */
    private void createLegacyJob() {
        store.createJob(new NewJob(job, "M1", List.of(new NewTask("S0", null), new NewTask("S99", null))),
                clock.instant());
    }

    private ProcessTask.Outcome processWithoutSpan(String segment) {
        return processTask.process(new Command(new TaskKey(job, segment), null, "w1", "M1", null));
    }

    private TaskDetail stored(String segment) {
        return store.task(new TaskKey(job, segment)).orElseThrow();
    }

    @Test
    void aTaskWithNoSpanInItsRowItsMessageOrTheGraphFailsForGoodAndItsJobFinishes() {
        createLegacyJob();

        ProcessTask.Outcome s0 = processWithoutSpan("S0");
        ProcessTask.Outcome s99 = processWithoutSpan("S99");

        assertThat(s0).isInstanceOf(ProcessTask.Done.class);
        String reason = "no span: segment S99 of manifestation M1 has no span in its task row, its message or the graph";
        assertThat(s99).isEqualTo(new ProcessTask.Failed(new TaskKey(job, "S99"), 1, reason, true));
        assertThat(s99.acknowledge()).as("dead-lettered as other permanent failures are").isFalse();
        assertThat(stored("S99").state()).isEqualTo(TaskState.FAILED);
        assertThat(stored("S99").error()).isEqualTo(reason);
        var status = store.jobStatus(job).orElseThrow();
        assertThat(status.failedSegments()).isEqualTo(1);
        assertThat(status.completedSegments()).isEqualTo(1);
        assertThat(status.state()).isIn(JobState.COMPLETED, JobState.FAILED);
        assertThat(outbox.all()).as("the job's completion message").singleElement()
                .satisfies(m -> assertThat(m.body()).contains(job.toString()));
        assertThat(processWithoutSpan("S99")).as("a redelivery of the failed task's message is refused (dead-lettered),"
                + " and changes nothing").isInstanceOf(ProcessTask.Rejected.class);
        assertThat(store.jobStatus(job).orElseThrow().failedSegments()).isEqualTo(1);
        assertThat(outbox.all()).hasSize(1);
    }

    @Test
    void aTaskWithNoSpanInItsRowOrMessageTakesTheGraphsSpanAndKeepsIt() {
        createLegacyJob();

        ProcessTask.Outcome s0 = processWithoutSpan("S0");

        assertThat(s0).isEqualTo(new ProcessTask.Done(new TaskKey(job, "S0"), 1, 1, false));
        assertThat(stored("S0").span()).isEqualTo(new Span(0, 10));
        assertThat(stored("S0").mappings()).isEqualTo(UseCaseFixtures.expectedFor(0));
    }

    @Test
    void whileTheGraphCannotBeAskedATaskWithoutSpanComesBackLaterUnchanged() {
        createLegacyJob();
        graph.failNext(100);

        ProcessTask.Outcome s99 = processWithoutSpan("S99");

        assertThat(s99).isInstanceOf(ProcessTask.RetryLater.class);
        assertThat(((ProcessTask.RetryLater) s99).reason()).doesNotContain("s3cret");
        assertThat(stored("S99").state()).isEqualTo(TaskState.QUEUED);
        assertThat(stored("S99").attempts()).as("the lookup's claim is not counted").isZero();
        assertThat(store.jobStatus(job).orElseThrow().failedSegments()).isZero();
    }

    @Test
    void theSpanlessTasksOfOneSetReadTheirTextsSegmentsOnce() {
        AtomicInteger reads = new AtomicInteger();
        AlignmentGraph counted = new CountingSegmentReads(UseCaseFixtures.twoTexts().toInMemoryGraph(), reads);
        ProcessTask overCounted = SegmentRelations.processTask(store, store, counted, RETRY, LEASE, clock,
                UseCaseFixtures.lowJitter());
        store.createJob(new NewJob(job, "M1", List.of(new NewTask("S0", null), new NewTask("S1", null),
                new NewTask("S99", null))), clock.instant());

        List<ProcessTask.Outcome> outcomes = overCounted.processAll(List.of(
                new Command(new TaskKey(job, "S0"), null, "w1", "M1", null),
                new Command(new TaskKey(job, "S1"), null, "w1", "M1", null),
                new Command(new TaskKey(job, "S99"), null, "w1", "M1", null)));

        assertThat(outcomes).extracting(o -> o.getClass().getSimpleName()).containsExactly("Done", "Done", "Failed");
        // pagination and segmentation, once for the three tasks (it was twice per task)
        assertThat(reads.get()).isEqualTo(2);
    }

    /** A graph that counts its {@code segmentsOf} calls. */
    private record CountingSegmentReads(AlignmentGraph graph, AtomicInteger reads) implements AlignmentGraph {
        @Override
        public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
            return graph.alignedSegments(probes);
        }

        @Override
        public List<List<Segment>> segmentationSegments(List<Probe> probes) {
            return graph.segmentationSegments(probes);
        }

        @Override
        public boolean manifestationExists(String manifestationId) {
            return graph.manifestationExists(manifestationId);
        }

        @Override
        public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
            reads.incrementAndGet();
            return graph.segmentsOf(manifestationId, source);
        }
    }

}
