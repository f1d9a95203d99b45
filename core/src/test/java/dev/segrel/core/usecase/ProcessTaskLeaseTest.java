package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ProcessTask's leases: other holders, dead holders, the heartbeat and shutdown. */
class ProcessTaskLeaseTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final ProcessTask processTask = SegmentRelations.processTask(store, store,
            UseCaseFixtures.twoTexts().toInMemoryGraph(), RETRY, LEASE, clock, UseCaseFixtures.lowJitter());
    private final JobId job = JobId.random();
    private final TaskKey s0 = new TaskKey(job, "S0");

    @BeforeEach
    void createJob() {
        store.createJob(JobTestData.aJob().withId(job).withManifestation("M1").withTasks(2).build(), clock.instant());
    }

    private static Command command(TaskKey key, String owner) {
        return new Command(key, null, owner);
    }

    /** A ProcessTask whose graph runs {@code duringCompute} on its first call, while the task is held. */
    private ProcessTask hookedWhileComputing(AtomicReference<ProcessTask> self, Runnable duringCompute) {
        boolean[] ran = {false};
        InterceptingGraph hooked = new InterceptingGraph(UseCaseFixtures.twoTexts().toInMemoryGraph(), () -> {
            if (!ran[0]) {
                ran[0] = true;
                duringCompute.run();
            }
        });
        self.set(SegmentRelations.processTask(store, store, hooked, RETRY, LEASE, clock, UseCaseFixtures.lowJitter()));
        return self.get();
    }

    @Test
    void aTaskHeldByAnotherLiveWorkerIsRetriedAfterItsLease() {
        TaskClaims.ClaimResult other = store.claim(s0, null, "w-other", clock.instant(), LEASE);
        assertThat(other).isInstanceOf(TaskClaims.Claimed.class);
        clock.advance(Duration.ofSeconds(20));

        ProcessTask.Outcome outcome = processTask.process(command(s0, "w1"));

        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.RetryLater.class, r -> {
            // 40 s of lease left, plus the smallest jitter
            assertThat(r.after()).isEqualTo(Duration.ofSeconds(40).plusMillis(250));
            assertThat(r.reason()).contains("held by w-other");
        });
    }

    @Test
    void aTaskWhoseHolderDiedIsTakenOverOnceItsLeaseExpires() {
        store.claim(s0, null, "w-dead", clock.instant(), LEASE);
        clock.advance(LEASE.plusSeconds(1));

        ProcessTask.Outcome outcome = processTask.process(command(s0, "w1"));

        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.Done.class, d -> assertThat(d.attempt()).isEqualTo(2));
    }

    @Test
    void aTaskWhoseHoldersKeepDyingFailsOnceItsAttemptsAreUsedUp() {
        for (int i = 0; i < RETRY.maxAttempts(); i++) {
            store.claim(s0, null, "w-dying-" + i, clock.instant(), LEASE);
            clock.advance(LEASE.plusSeconds(1));
        }

        ProcessTask.Outcome outcome = processTask.process(command(s0, "w1"));

        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.Failed.class,
                f -> assertThat(f.reason()).startsWith("attempts used up"));
        assertThat(store.task(s0).orElseThrow().state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void theHeartbeatExtendsTheLeaseOfATaskBeingComputedSoNoOtherWorkerTakesItOver() {
        AtomicReference<ProcessTask> self = new AtomicReference<>();
        List<Object> seen = new ArrayList<>();
        ProcessTask hooked = hookedWhileComputing(self, () -> {
            clock.advance(Duration.ofSeconds(50));
            seen.add(self.get().extendLeases(clock.instant()));
            clock.advance(Duration.ofSeconds(50)); // past the first lease, within the extended one
            seen.add(store.claim(s0, null, "w-other", clock.instant(), LEASE).getClass());
        });

        ProcessTask.Outcome outcome = hooked.process(command(s0, "w1"));

        assertThat(seen).containsExactly(1, TaskClaims.HeldByOther.class);
        assertThat(outcome).isInstanceOf(ProcessTask.Done.class);
        assertThat(hooked.extendLeases(clock.instant())).as("nothing is held once the task is done").isZero();
    }

    @Test
    void aTaskReleasedAtShutdownWhileComputingIsGivenBackAndItsLateResultIsNotStored() {
        AtomicReference<ProcessTask> self = new AtomicReference<>();
        List<Integer> released = new ArrayList<>();
        ProcessTask hooked = hookedWhileComputing(self, () -> released.add(self.get().releaseAll(clock.instant())));

        ProcessTask.Outcome outcome = hooked.process(command(s0, "w1"));

        assertThat(released).containsExactly(1);
        assertThat(outcome).isInstanceOfSatisfying(ProcessTask.RetryLater.class,
                r -> assertThat(r.reason()).contains("lease lost"));
        TaskDetail stored = store.task(s0).orElseThrow();
        assertThat(stored.state()).isEqualTo(TaskState.QUEUED);
        assertThat(stored.attempts()).as("a released attempt is not counted").isZero();
        assertThat(stored.mappings()).isEmpty();
    }
}
