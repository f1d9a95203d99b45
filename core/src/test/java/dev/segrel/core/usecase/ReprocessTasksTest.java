package dev.segrel.core.usecase;

import static dev.segrel.core.usecase.UseCaseFixtures.drain;
import static dev.segrel.core.usecase.UseCaseFixtures.expectedFor;
import static dev.segrel.core.usecase.UseCaseFixtures.segmentIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.MappingDiff;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ReprocessTasks;
import dev.segrel.core.port.in.ReprocessTasks.Mode;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reprocessing after the graph changed: S0 of M1, once aligned to T0, is now aligned to T5. */
class ReprocessTasksTest {

    private static final List<Mapping> S0_NOW = List.of(new Mapping("M2", List.of(Segment.of("T5", 50, 60))));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));
    private final AlignmentGraph changedGraph = UseCaseFixtures.twoTextsRealigned(0, 5).toInMemoryGraph();
    private final AtomicInteger queueAsked = new AtomicInteger();
    private final AtomicInteger processAsked = new AtomicInteger();
    private final ReprocessTasks reprocess = reprocessSendingTo(() -> {
        queueAsked.incrementAndGet();
        return queue;
    });
    private final JobId job = JobId.random();
    private final TaskKey s0 = new TaskKey(job, "S0");

    /** A job of three tasks, each completed with what the graph gave before it changed. */
    @BeforeEach
    void completeAJobOverTheGraphBeforeItChanged() {
        createCompleted(job, 3);
    }

    private ReprocessTasks reprocessSendingTo(Supplier<TaskQueue> queueSupplier) {
        Supplier<ProcessTask> process = () -> {
            processAsked.incrementAndGet();
            return SegmentRelations.processTask(store, store, changedGraph, RetryPolicy.DEFAULT,
                    Duration.ofSeconds(60), clock, UseCaseFixtures.lowJitter());
        };
        return SegmentRelations.reprocessTasks(store, store, store, store, queueSupplier,
                () -> SegmentRelations.over(changedGraph), process, clock);
    }

    private void createCompleted(JobId id, int tasks) {
        store.createJob(JobTestData.aJob().withId(id).withManifestation("M1").withTasks(tasks).build(), clock.instant());
        for (int i = 0; i < tasks; i++) {
            UseCaseFixtures.complete(store, new TaskKey(id, "S" + i), expectedFor(i), clock.instant());
        }
    }

    private TaskDetail stored(TaskKey key) {
        return store.task(key).orElseThrow();
    }

    @Test
    void aSegmentReprocessedThroughTheQueueIsResetAndGetsOneMessage() {
        ReprocessTasks.SegmentResult result = reprocess.segment(s0, Mode.QUEUE);

        assertThat(result).isEqualTo(new ReprocessTasks.Requeued(s0, TaskState.COMPLETED, 1));
        assertThat(drain(queue)).containsExactly(new TaskRequest(job, "M1", "S0", new Span(0, 10)));
        assertThat(stored(s0).state()).isEqualTo(TaskState.QUEUED);
        assertThat(stored(s0).mappings()).isEmpty();
        JobStatus status = store.jobStatus(job).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.IN_PROGRESS);
        assertThat(status.completedSegments()).isEqualTo(2);
        assertThat(store.outbox().all()).as("the job will announce its completion again").isEmpty();
    }

    @Test
    void aSegmentReprocessedNowIsComputedHereAndItsFreshResultStored() {
        ReprocessTasks.SegmentResult result = reprocess.segment(s0, Mode.NOW);

        assertThat(result).isEqualTo(new ReprocessTasks.ComputedHere(s0, new ProcessTask.Done(s0, 1, 1, true)));
        assertThat(stored(s0).mappings()).isEqualTo(S0_NOW);
        assertThat(store.jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(store.outbox().all()).hasSize(1);
        assertThat(queueAsked).as("computed here: no queue needed").hasValue(0);
    }

    @Test
    void aSegmentDryRunReportsHowTheFreshAnswerDiffersAndWritesNothing() {
        JobStatus before = store.jobStatus(job).orElseThrow();

        ReprocessTasks.SegmentResult result = reprocess.segment(s0, Mode.DRY_RUN);

        MappingDiff diff = new MappingDiff(List.of(new MappingDiff.Change("M2", List.of("T5"), List.of("T0"))));
        assertThat(result).isEqualTo(new ReprocessTasks.SegmentDryRun(s0, TaskState.COMPLETED, diff, S0_NOW));
        assertThat(stored(s0).mappings()).isEqualTo(expectedFor(0));
        assertThat(store.jobStatus(job).orElseThrow()).isEqualTo(before);
        assertThat(queueAsked).hasValue(0);
        assertThat(processAsked).hasValue(0);
    }

    @Test
    void anUnknownTaskOrJobIsReportedInEveryModeAndNothingIsSent() {
        TaskKey unknownSegment = new TaskKey(job, "S9");
        TaskKey unknownJob = new TaskKey(JobId.random(), "S0");

        for (Mode mode : Mode.values()) {
            assertThat(reprocess.segment(unknownSegment, mode)).isEqualTo(new ReprocessTasks.UnknownTask(unknownSegment));
            assertThat(reprocess.segment(unknownJob, mode)).isEqualTo(new ReprocessTasks.UnknownTask(unknownJob));
        }
        assertThat(queue.stats().visible()).isZero();
        assertThat(processAsked).hasValue(0);
    }

    @Test
    void aTaskWithoutASpanHasNothingToDryRunFrom() {
        JobId legacy = JobId.random();
        store.createJob(JobTestData.aJob().withId(legacy).withManifestation("M1").withoutSpans().build(),
                clock.instant());

        ReprocessTasks.SegmentResult result = reprocess.segment(new TaskKey(legacy, "S0"), Mode.DRY_RUN);

        assertThat(result).isEqualTo(new ReprocessTasks.NoSpan(new TaskKey(legacy, "S0")));
    }

    @Test
    void aJobReprocessedForItsFailedTasksResetsAndSendsThoseOnly() {
        JobId mixed = JobId.random();
        store.createJob(JobTestData.aJob().withId(mixed).withManifestation("M1").withTasks(3).build(), clock.instant());
        UseCaseFixtures.complete(store, new TaskKey(mixed, "S0"), expectedFor(0), clock.instant());
        UseCaseFixtures.complete(store, new TaskKey(mixed, "S1"), expectedFor(1), clock.instant());
        UseCaseFixtures.failForGood(store, new TaskKey(mixed, "S2"), clock.instant());

        ReprocessTasks.JobResult result = reprocess.job(mixed, true, false, changed -> { });

        assertThat(result).isEqualTo(new ReprocessTasks.JobRequeued(mixed, 1));
        assertThat(segmentIds(drain(queue))).containsExactly("S2");
        assertThat(stored(new TaskKey(mixed, "S1")).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(stored(new TaskKey(mixed, "S2")).state()).isEqualTo(TaskState.QUEUED);
        assertThat(store.jobStatus(mixed).orElseThrow().failedSegments()).isZero();
    }

    @Test
    void aWholeJobReprocessedThroughTheQueueSendsOneMessagePerTask() {
        ReprocessTasks.JobResult result = reprocess.job(job, false, false, changed -> { });

        assertThat(result).isEqualTo(new ReprocessTasks.JobRequeued(job, 3));
        assertThat(segmentIds(drain(queue))).containsExactly("S0", "S1", "S2");
        assertThat(store.jobStatus(job).orElseThrow().queued()).isEqualTo(3);
    }

    @Test
    void aJobDryRunStreamsEachChangedTaskAndCountsTheUnchangedAndTheSpanLess() {
        JobId id = JobId.random();
        store.createJob(new Jobs.NewJob(id, "M1", List.of(new NewTask("S0", new Span(0, 10)),
                new NewTask("S1", new Span(10, 20)), new NewTask("S7", null))), clock.instant());
        UseCaseFixtures.complete(store, new TaskKey(id, "S0"), expectedFor(0), clock.instant());
        UseCaseFixtures.complete(store, new TaskKey(id, "S1"), expectedFor(1), clock.instant());
        List<ReprocessTasks.Changed> changed = new ArrayList<>();

        ReprocessTasks.JobResult result = reprocess.job(id, false, true, changed::add);

        assertThat(result).isEqualTo(new ReprocessTasks.JobDryRun(id, 2, 1, 1));
        assertThat(changed).containsExactly(new ReprocessTasks.Changed("S0", TaskState.COMPLETED,
                MappingDiff.between(expectedFor(0), S0_NOW)));
        assertThat(stored(new TaskKey(id, "S0")).mappings()).isEqualTo(expectedFor(0));
    }

    @Test
    void aDryRunOfTheFailedTasksComparesThemWithNothingStored() {
        JobId id = JobId.random();
        store.createJob(JobTestData.aJob().withId(id).withManifestation("M1").withTasks(2).build(), clock.instant());
        UseCaseFixtures.complete(store, new TaskKey(id, "S0"), expectedFor(0), clock.instant());
        UseCaseFixtures.failForGood(store, new TaskKey(id, "S1"), clock.instant());
        List<ReprocessTasks.Changed> changed = new ArrayList<>();

        ReprocessTasks.JobResult result = reprocess.job(id, true, true, changed::add);

        assertThat(result).isEqualTo(new ReprocessTasks.JobDryRun(id, 1, 1, 0));
        assertThat(changed).containsExactly(new ReprocessTasks.Changed("S1", TaskState.FAILED,
                new MappingDiff(List.of(new MappingDiff.Change("M2", List.of("T1"), List.of())))));
    }

    @Test
    void anUnknownJobIsReportedWithoutAskingForTheQueue() {
        JobId unknown = JobId.random();

        assertThat(reprocess.job(unknown, false, false, c -> { })).isEqualTo(new ReprocessTasks.UnknownJob(unknown));
        assertThat(reprocess.job(unknown, false, true, c -> { })).isEqualTo(new ReprocessTasks.UnknownJob(unknown));
        assertThat(queueAsked).hasValue(0);
    }

    @Test
    void aJobWithoutFailedTasksHasNothingToReprocessForThemAndNothingIsSent() {
        ReprocessTasks.JobResult result = reprocess.job(job, true, false, c -> { });

        assertThat(result).isEqualTo(new ReprocessTasks.NothingToReprocess(job));
        assertThat(queue.stats().visible()).isZero();
        assertThat(store.jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void dryRunsWorkWithoutAQueue() {
        ReprocessTasks withoutQueue = reprocessSendingTo(() -> {
            throw new IllegalStateException("no queue is configured");
        });

        assertThat(withoutQueue.segment(s0, Mode.DRY_RUN)).isInstanceOf(ReprocessTasks.SegmentDryRun.class);
        assertThat(withoutQueue.job(job, false, true, c -> { })).isEqualTo(new ReprocessTasks.JobDryRun(job, 3, 1, 0));
    }
}
