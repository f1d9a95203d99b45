package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.TaskClaims.Claimed;
import dev.segrel.core.port.out.TaskCompletions.Completed;
import dev.segrel.core.port.out.TaskCompletions.LeaseLost;
import dev.segrel.core.port.out.TaskRecovery.NoTaskMatched;
import dev.segrel.core.port.out.TaskRecovery.PendingTask;
import dev.segrel.core.port.out.TaskRecovery.Reprocessed;
import dev.segrel.core.port.out.TaskRecovery.UnknownJobOrTask;
import dev.segrel.core.port.out.TaskRecovery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskRecovery} must do: expired leases and stranded tasks handed to one sweeper, and reprocessing that fences holders and announces again.
 * Extend it with a class that supplies the store's ports over one state ({@link #stores()});
 * each test makes its own jobs, so one store may serve all tests.
 */
public abstract class TaskRecoveryContract extends TaskStoreContractSupport {

    /** Older than any other task of the shared store, so that its tasks are the longest untouched. */
    private static final Instant LONG_AGO = Instant.parse("1990-01-01T00:00:00Z");

    @Test
    public void reclaimTurnsExpiredLeasesIntoRetryingTasksAndFencesTheirHolders() {
        NewJob job = created(aJob().withManifestation("M4").withTasks(2));
        Lease expired = claim(job, 0, "w1", T0);
        claim(job, 1, "w1", T0.plusSeconds(100));

        List<PendingTask> reclaimed = recovery().reclaimExpired(T0.plus(LEASE).plusSeconds(1), 1000).stream()
                .filter(t -> t.key().jobId().equals(job.jobId()))
                .toList();

        assertThat(reclaimed).containsExactly(
                new PendingTask(key(job, 0), "M4", TaskState.RETRYING, JobTestData.spanOf(0)));
        assertThat(completions().complete(expired, result("M2"), T0.plusSeconds(40))).isEqualTo(new LeaseLost(key(job, 0)));
        assertThat(claims().claim(key(job, 0), null, "w2", T0.plusSeconds(41), LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    public void strandedTasksAreOfferedOnceAndAgainOnlyAfterAnotherQuietPeriod() {
        NewJob job = created(aJob().withTasks(2));
        claim(job, 1, "w1", T0);
        Instant later = T0.plusSeconds(600);

        List<PendingTask> first = strandedOf(job, T0, later);
        List<PendingTask> second = strandedOf(job, T0, later);
        List<PendingTask> afterQuiet = strandedOf(job, later, later.plusSeconds(600));

        assertThat(first).extracting(PendingTask::key).containsExactly(key(job, 0));
        assertThat(second).isEmpty();
        assertThat(afterQuiet).extracting(PendingTask::key).containsExactly(key(job, 0));
    }

    @Test
    public void reclaimTakesNoMoreThanItsLimitAndLeavesTheRestForTheNextCall() {
        NewJob job = created(aJob().withTasks(3));
        for (int i = 0; i < 3; i++) {
            claim(job, i, "w-dead", T0);
        }
        Instant expired = T0.plus(LEASE).plusSeconds(1);

        List<PendingTask> first = recovery().reclaimExpired(expired, 2);
        List<PendingTask> rest = recovery().reclaimExpired(expired, 10_000);

        assertThat(first).hasSize(2);
        List<TaskKey> mine = keysOf(job, first, rest);
        assertThat(mine).containsExactlyInAnyOrder(key(job, 0), key(job, 1), key(job, 2));
    }

    @Test
    public void strandedTakesNoMoreThanItsLimitAndEachTaskOnce() {
        NewJob job = created(aJob().withTasks(3));
        Instant later = T0.plusSeconds(600);

        List<PendingTask> first = recovery().takeStranded(T0, 2, later);
        List<PendingTask> rest = recovery().takeStranded(T0, 10_000, later);

        assertThat(first).hasSize(2);
        List<TaskKey> mine = keysOf(job, first, rest);
        assertThat(mine).containsExactlyInAnyOrder(key(job, 0), key(job, 1), key(job, 2));
    }

    @Test
    public void twoSweepersTakingStrandedTasksAtOnceNeverTakeOneTaskTwice() throws Exception {
        NewJob job = created(aJob().withTasks(300));
        Instant later = T0.plusSeconds(600);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<PendingTask> taken = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            Callable<List<PendingTask>> sweep = () -> {
                start.await();
                return recovery().takeStranded(T0, 200, later);
            };
            var a = threads.submit(sweep);
            var b = threads.submit(sweep);
            start.countDown();
            taken.addAll(a.get(60, TimeUnit.SECONDS));
            taken.addAll(b.get(60, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
        taken.addAll(recovery().takeStranded(T0, 10_000, later));

        List<TaskKey> mine = keysOf(job, taken, List.of());
        assertThat(mine).hasSize(300).doesNotHaveDuplicates();
    }

    @Test
    public void strandedOffersTheLongestUntouchedTaskFirst() {
        NewJob older = aJob().withTasks(1).build();
        jobs().createJob(older, LONG_AGO);
        NewJob newer = created(aJob().withTasks(1));

        List<PendingTask> first = recovery().takeStranded(T0, 1, T0.plusSeconds(600));

        assertThat(first).extracting(PendingTask::key).containsExactly(key(older, 0));
        assertThat(strandedOf(newer, T0, T0.plusSeconds(600))).extracting(PendingTask::key).containsExactly(key(newer, 0));
    }

    @Test
    public void tasksExpectingAMessageAreTheWaitingAndHeldOnesUntouchedSince() {
        Instant at = LONG_AGO.plusSeconds(3600);
        long before = recovery().countExpectingMessage(at);
        NewJob job = aJob().withTasks(4).build();
        jobs().createJob(job, at);
        claims().claim(key(job, 0), null, "w1", at, LEASE);
        completions().complete(claim(job, 1, "w1", at), result("M2"), at);
        claims().claim(key(job, 2), null, "w1", at.plusSeconds(1), LEASE);

        assertThat(recovery().countExpectingMessage(at) - before)
                .as("S0 held and S3 queued; S1 completed, S2 touched after").isEqualTo(2);
        assertThat(recovery().countExpectingMessage(at.minusSeconds(1)) - before).as("nothing of the job before it was made")
                .isZero();
    }

    @Test
    public void reprocessingOnlyTheFailedTasksCorrectsTheCountsAndAnnouncesTheJobAgain() {
        NewJob job = created(aJob().withTasks(2));
        completions().complete(claim(job, 0, "w1", T0), result("M2"), T0);
        completions().fail(claim(job, 1, "w1", T0), "boom", true, 3, T0);
        assertThat(completionMessages(job.jobId())).hasSize(1);

        var result = recovery().reprocessJob(job.jobId(), true, T0.plusSeconds(5));

        assertThat(result).isInstanceOf(Reprocessed.class);
        assertThat(((Reprocessed) result).tasks()).extracting(PendingTask::key).containsExactly(key(job, 1));
        JobStatus status = jobs().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.IN_PROGRESS);
        assertThat(status.completedSegments()).isEqualTo(1);
        assertThat(status.failedSegments()).isZero();
        assertThat(status.queued()).isEqualTo(1);

        Claimed again = assertClaimed(claims().claim(key(job, 1), null, "w2", T0.plusSeconds(6), LEASE));
        assertThat(again.task().attempt()).isEqualTo(1);
        assertThat(completions().complete(again.task().lease(), result("M2"), T0.plusSeconds(7)))
                .isEqualTo(new Completed(key(job, 1), true, JobState.COMPLETED));
        assertThat(completionMessages(job.jobId())).hasSize(1)
                .allSatisfy(m -> assertThat(m.body()).contains("\"status\":\"COMPLETED\""));
    }

    @Test
    public void aJobReprocessedAfterItsAnnouncementWentOutIsAnnouncedAgainUnderItsOwnId() {
        NewJob job = created(aJob().withTasks(2));
        completions().complete(claim(job, 0, "w1", T0), result("M2"), T0);
        completions().fail(claim(job, 1, "w1", T0), "boom", true, 3, T0);
        Outbox.Message first = completionMessages(job.jobId()).get(0);
        stores().outbox().markSent(first, "contract", T0.plusSeconds(1));

        recovery().reprocessJob(job.jobId(), true, T0.plusSeconds(5));
        Claimed again = assertClaimed(claims().claim(key(job, 1), null, "w2", T0.plusSeconds(6), LEASE));
        completions().complete(again.task().lease(), result("M2"), T0.plusSeconds(7));
        List<Outbox.Message> second = messagesOf(job.jobId());
        List<Outbox.Message> secondLookedAtAgain = messagesOf(job.jobId());

        assertThat(first.messageId()).as("the first announcement keeps its id").isEqualTo("job-completed:" + job.jobId());
        assertThat(second).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isNotEqualTo(first.messageId()).isEqualTo("job-completed:" + job.jobId() + ":a2");
            assertThat(m.body()).contains("\"status\":\"COMPLETED\"");
        });
        assertThat(secondLookedAtAgain).as("stable across retries").extracting(Outbox.Message::messageId)
                .containsExactly(second.get(0).messageId());
    }

    @Test
    public void reprocessingATaskFencesItsHolderAndQueuesIt() {
        NewJob job = created(aJob().withTasks(2));
        Lease lease = claim(job, 0, "w1", T0);

        var result = recovery().reprocessTask(key(job, 0), T0.plusSeconds(1));

        assertThat(result).isInstanceOf(Reprocessed.class);
        assertThat(completions().complete(lease, result("M2"), T0.plusSeconds(2))).isEqualTo(new LeaseLost(key(job, 0)));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().queued()).isEqualTo(2);
    }

    @Test
    public void reprocessingSomethingUnknownSaysSo() {
        JobId unknown = JobId.random();
        NewJob job = created(aJob());

        assertThat(recovery().reprocessJob(unknown, false, T0)).isEqualTo(new UnknownJobOrTask(unknown));
        assertThat(recovery().reprocessTask(new TaskKey(job.jobId(), "nope"), T0))
                .isEqualTo(new UnknownJobOrTask(job.jobId()));
        assertThat(recovery().reprocessJob(job.jobId(), true, T0)).isEqualTo(new NoTaskMatched(job.jobId()));
    }

    /** The keys of {@code job}'s tasks among what the calls returned, in order (the store may hold others). */
    private static List<TaskKey> keysOf(NewJob job, List<PendingTask> first, List<PendingTask> rest) {
        return Stream.concat(first.stream(), rest.stream())
                .map(PendingTask::key)
                .filter(k -> k.jobId().equals(job.jobId()))
                .toList();
    }
}
