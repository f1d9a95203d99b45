package dev.segrel.worker;

import static dev.segrel.worker.WorkerFixtures.expectedFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.testkit.graph.InMemoryAlignmentGraph;
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
    private final WorkerFixtures.FlakyGraph graph =
            new WorkerFixtures.FlakyGraph(InMemoryAlignmentGraph.of(WorkerFixtures.twoTexts()));
    private final ProcessTask processTask =
            SegmentRelations.processTask(store, graph.graph, RETRY, LEASE, clock, WorkerFixtures.lowJitter());
    private final JobId job = JobId.random();

    @BeforeEach
    void createJob() {
        store.createJob(JobTestData.aJob().withId(job).withManifestation("M1").withTasks(2).build(), clock.instant());
    }

    private static Command command(JobId job, String segment, String owner) {
        return new Command(new TaskKey(job, segment), null, owner);
    }

    @Test
    void aClaimedTaskIsComputedStoredAndAcknowledged() {
        ProcessTask.Outcome outcome = processTask.process(command(job, "S1", "w1"));

        assertThat(outcome).isEqualTo(new ProcessTask.Done(new TaskKey(job, "S1"), 1, 1, false));
        assertThat(outcome.acknowledge()).isTrue();
        assertThat(store.jobResults(job).orElseThrow().segments())
                .filteredOn(s -> s.segmentId().equals("S1"))
                .singleElement()
                .satisfies(s -> assertThat(s.mappings()).isEqualTo(expectedFor(1)));
    }

    @Test
    void theLastTaskFinishesTheJobAndWritesOneCompletionMessage() {
        processTask.process(command(job, "S0", "w1"));
        ProcessTask.Outcome last = processTask.process(command(job, "S1", "w1"));

        assertThat(last).isInstanceOfSatisfying(ProcessTask.Done.class, d -> assertThat(d.jobFinished()).isTrue());
        assertThat(store.jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(store.outbox().take(10, "relay", clock.instant(), LEASE)).hasSize(1);
    }

    @Test
    void aMessageForACompletedTaskIsANoOp() {
        processTask.process(command(job, "S0", "w1"));

        ProcessTask.Outcome again = processTask.process(command(job, "S0", "w2"));

        assertThat(again).isInstanceOf(ProcessTask.AlreadyDone.class);
        assertThat(again.acknowledge()).isTrue();
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(1);
    }

    @Test
    void aTaskHeldByAnotherLiveWorkerIsRetriedAfterItsLease() {
        TaskStore.ClaimResult other = store.claim(new TaskKey(job, "S0"), null, "w-other", clock.instant(), LEASE);
        assertThat(other).isInstanceOf(TaskStore.Claimed.class);
        clock.advance(Duration.ofSeconds(20));

        ProcessTask.Outcome outcome = processTask.process(command(job, "S0", "w1"));

        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.RetryLater.class, r -> {
            // 40 s of lease left, plus the smallest jitter
            assertThat(r.after()).isEqualTo(Duration.ofSeconds(40).plusMillis(250));
            assertThat(r.reason()).contains("held by w-other");
        });
    }

    @Test
    void aTaskWhoseHolderDiedIsTakenOverOnceItsLeaseExpires() {
        store.claim(new TaskKey(job, "S0"), null, "w-dead", clock.instant(), LEASE);
        clock.advance(LEASE.plusSeconds(1));

        ProcessTask.Outcome outcome = processTask.process(command(job, "S0", "w1"));

        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.Done.class, d -> assertThat(d.attempt()).isEqualTo(2));
    }

    @Test
    void aTransientGraphFailureIsRetriedWithExponentialBackoff() {
        graph.down.set(1);

        ProcessTask.Outcome first = processTask.process(command(job, "S0", "w1"));

        assertThat(first).isInstanceOfSatisfying(ProcessTask.RetryLater.class, r -> {
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.after()).isEqualTo(Duration.ofSeconds(1)); // half of the 2 s base: the low jitter
            assertThat(r.reason()).contains("graph unavailable").doesNotContain("neo4j:secret");
        });
        graph.down.set(1);
        ProcessTask.Outcome second = processTask.process(command(job, "S0", "w1"));
        assertThat(second).isInstanceOfSatisfying(ProcessTask.RetryLater.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(2)));

        ProcessTask.Outcome third = processTask.process(command(job, "S0", "w1"));
        assertThat(third).isInstanceOf(ProcessTask.Done.class);
    }

    @Test
    void aTaskOutOfAttemptsIsFailedForGoodAndTheJobStillFinishes() {
        processTask.process(command(job, "S1", "w1"));
        graph.down.set(100);

        processTask.process(command(job, "S0", "w1"));
        processTask.process(command(job, "S0", "w1"));
        ProcessTask.Outcome last = processTask.process(command(job, "S0", "w1"));

        assertThat(last).isInstanceOfSatisfying(ProcessTask.Failed.class, f -> {
            assertThat(f.attempt()).isEqualTo(3);
            assertThat(f.jobFinished()).isTrue();
        });
        assertThat(last.acknowledge()).isFalse();
        TaskStore.JobStatus status = store.jobStatus(job).orElseThrow();
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

        ProcessTask.Outcome noSpan = processTask.process(command(legacy, "S0", "w1"));
        ProcessTask.Outcome withSpan = processTask.process(
                new Command(new TaskKey(legacy, "S0"), new Span(30, 40), "w1"));

        assertThat(noSpan).isInstanceOf(ProcessTask.Rejected.class);
        assertThat(withSpan).isInstanceOf(ProcessTask.Done.class);
        assertThat(store.jobResults(legacy).orElseThrow().segments().get(0).mappings()).isEqualTo(expectedFor(3));
    }

    @Test
    void aTaskWhoseHoldersKeepDyingFailsOnceItsAttemptsAreUsedUp() {
        for (int i = 0; i < RETRY.maxAttempts(); i++) {
            store.claim(new TaskKey(job, "S0"), null, "w-dying-" + i, clock.instant(), LEASE);
            clock.advance(LEASE.plusSeconds(1));
        }

        ProcessTask.Outcome outcome = processTask.process(command(job, "S0", "w1"));

        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.Failed.class,
                f -> assertThat(f.reason()).startsWith("attempts used up"));
    }
}
