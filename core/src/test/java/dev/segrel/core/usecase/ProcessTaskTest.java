package dev.segrel.core.usecase;

import static dev.segrel.core.usecase.UseCaseFixtures.expectedFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every outcome of docs/reliability.md for one task, synchronously, on fakes that pass the port contracts. */
class ProcessTaskTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final UseCaseFixtures.FlakyGraph graph =
            new UseCaseFixtures.FlakyGraph(UseCaseFixtures.twoTexts().toInMemoryGraph());
    private final ProcessTask processTask = SegmentRelations.processTask(
            store, store, graph.graph(), RETRY, LEASE, clock, UseCaseFixtures.lowJitter());
    private final JobId job = JobId.random();

    @BeforeEach
    void createJob() {
        store.createJob(JobTestData.aJob().withId(job).withManifestation("M1").withTasks(2).build(), clock.instant());
    }

    private static Command command(JobId job, String segment, String owner) {
        return new Command(new TaskKey(job, segment), null, owner);
    }

    private TaskDetail stored(JobId job, String segment) {
        return store.task(new TaskKey(job, segment)).orElseThrow();
    }

    @Test
    void aClaimedTaskIsComputedStoredAndAcknowledged() {
        ProcessTask.Outcome outcome = processTask.process(command(job, "S1", "w1"));

        assertThat(outcome).isEqualTo(new ProcessTask.Done(new TaskKey(job, "S1"), 1, 1, false));
        assertThat(outcome.acknowledge()).isTrue();
        TaskDetail s1 = stored(job, "S1");
        assertThat(s1.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(s1.mappings()).isEqualTo(expectedFor(1));
    }

    @Test
    void theLastTaskFinishesTheJobAndWritesOneCompletionMessage() {
        processTask.process(command(job, "S0", "w1"));
        ProcessTask.Outcome last = processTask.process(command(job, "S1", "w1"));

        assertThat(last).isInstanceOfSatisfying(ProcessTask.Done.class, d -> assertThat(d.jobFinished()).isTrue());
        assertThat(store.jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(store.outbox().take(10, "relay", clock.instant(), LEASE))
                .singleElement()
                .satisfies(m -> assertThat(m.messageId()).isEqualTo("job-completed:" + job));
    }

    @Test
    void aMessageForACompletedTaskIsANoOp() {
        processTask.process(command(job, "S0", "w1"));

        ProcessTask.Outcome again = processTask.process(command(job, "S0", "w2"));

        assertThat(again).isInstanceOf(ProcessTask.AlreadyDone.class);
        assertThat(again.acknowledge()).isTrue();
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(1);
        assertThat(stored(job, "S0").attempts()).isEqualTo(1);
    }

    @Test
    void aTransientGraphFailureIsRetriedWithExponentialBackoff() {
        graph.failNext(1);

        ProcessTask.Outcome first = processTask.process(command(job, "S0", "w1"));

        assertThat(first).isInstanceOfSatisfying(ProcessTask.RetryLater.class, r -> {
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.after()).isEqualTo(Duration.ofSeconds(1)); // half of the 2 s base: the low jitter
            assertThat(r.reason()).contains("graph unavailable");
        });
        assertThat(stored(job, "S0").state()).isEqualTo(TaskState.RETRYING);
        graph.failNext(1);
        ProcessTask.Outcome second = processTask.process(command(job, "S0", "w1"));
        assertThat(second).isInstanceOfSatisfying(ProcessTask.RetryLater.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(2)));

        ProcessTask.Outcome third = processTask.process(command(job, "S0", "w1"));
        assertThat(third).isInstanceOfSatisfying(ProcessTask.Done.class, d -> assertThat(d.attempt()).isEqualTo(3));
    }

    @Test
    void aGraphFailureIsStoredAndReportedWithoutTheGraphsPassword() {
        graph.failNext(1);

        ProcessTask.Outcome outcome = processTask.process(command(job, "S0", "w1"));

        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.RetryLater.class, r -> assertThat(r.reason())
                .contains("bolt://neo4j:***@graph:7687")
                .doesNotContain("s3cret"));
        assertThat(stored(job, "S0").error())
                .contains("bolt://neo4j:***@graph:7687")
                .doesNotContain("s3cret");
    }

    @Test
    void aTaskOutOfAttemptsIsFailedForGoodAndTheJobStillFinishes() {
        processTask.process(command(job, "S1", "w1"));
        graph.failNext(100);

        processTask.process(command(job, "S0", "w1"));
        processTask.process(command(job, "S0", "w1"));
        ProcessTask.Outcome last = processTask.process(command(job, "S0", "w1"));

        assertThat(last).isInstanceOfSatisfying(ProcessTask.Failed.class, f -> {
            assertThat(f.attempt()).isEqualTo(3);
            assertThat(f.jobFinished()).isTrue();
        });
        assertThat(last.acknowledge()).isFalse();
        JobStatus status = store.jobStatus(job).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.FAILED);
        assertThat(status.completedSegments()).isEqualTo(1);
        assertThat(status.failedSegments()).isEqualTo(1);
        assertThat(store.outbox().take(10, "relay", clock.instant(), LEASE)).hasSize(1);
    }

    @Test
    void aManifestationMissingFromTheGraphFailsAtOnceWithoutRetries() {
        JobId orphan = JobId.random();
        store.createJob(JobTestData.aJob().withId(orphan).withManifestation("NOPE").withTasks(1).build(),
                clock.instant());

        ProcessTask.Outcome outcome = processTask.process(command(orphan, "S0", "w1"));

        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.Failed.class, f -> {
            assertThat(f.attempt()).isEqualTo(1);
            assertThat(f.reason()).isEqualTo("manifestation NOPE is not in the graph");
        });
        assertThat(stored(orphan, "S0").state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void anUnknownTaskIsRejected() {
        ProcessTask.Outcome outcome = processTask.process(command(JobId.random(), "S0", "w1"));

        assertThat(outcome).isInstanceOf(ProcessTask.Rejected.class);
        assertThat(outcome.acknowledge()).isFalse();
    }

    @Test
    void aLegacyTaskWithoutSpanTakesItsSpanFromTheMessage() {
        JobId legacy = JobId.random();
        store.createJob(JobTestData.aJob().withId(legacy).withManifestation("M1").withTasks(1).withoutSpans().build(),
                clock.instant());

        ProcessTask.Outcome withSpan = processTask.process(
                new Command(new TaskKey(legacy, "S0"), new Span(30, 40), "w1"));

        assertThat(withSpan).isInstanceOf(ProcessTask.Done.class);
        assertThat(stored(legacy, "S0").mappings()).isEqualTo(expectedFor(3));
        assertThat(stored(legacy, "S0").span()).isEqualTo(new Span(30, 40));
    }
}
