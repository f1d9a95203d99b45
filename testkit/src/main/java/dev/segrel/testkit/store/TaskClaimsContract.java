package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.TaskClaims.AlreadyCompleted;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskClaims.Claimed;
import dev.segrel.core.port.out.TaskClaims.HeldByOther;
import dev.segrel.core.port.out.TaskClaims.NoSpan;
import dev.segrel.core.port.out.TaskClaims.SpanlessTask;
import dev.segrel.core.port.out.TaskCompletions.FailedForGood;
import dev.segrel.core.port.out.TaskClaims.UnknownTask;
import dev.segrel.core.port.out.TaskCompletions.Completed;
import dev.segrel.core.port.out.TaskCompletions.LeaseLost;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskClaims.ClaimRequest;
import dev.segrel.core.port.out.TaskClaims.Exhausted;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskClaims} must do: claims are leases, fenced, extended and given back.
 * Extend it with a class that supplies the store's ports over one state ({@link #stores()});
 * each test makes its own jobs, so one store may serve all tests.
 */
public abstract class TaskClaimsContract extends TaskStoreContractSupport {

    @Test
    public void claimOfAQueuedTaskGivesALeaseWithTheStoredSpan() {
        NewJob job = created(aJob().withManifestation("M3").withTasks(2));

        ClaimResult result = claims().claim(key(job, 1), null, "w1", T0, LEASE);

        Claimed claimed = assertClaimed(result);
        assertThat(claimed.task().manifestationId()).isEqualTo("M3");
        assertThat(claimed.task().span()).isEqualTo(JobTestData.spanOf(1));
        assertThat(claimed.task().attempt()).isEqualTo(1);
        assertThat(claimed.task().lease().owner()).isEqualTo("w1");
        assertThat(claimed.task().lease().expiresAt()).isEqualTo(T0.plus(LEASE));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().inProgress()).isEqualTo(1);
    }

    @Test
    public void claimFailsWhileAnotherWorkerHoldsTheLease() {
        NewJob job = created(aJob());
        claims().claim(key(job, 0), null, "w1", T0, LEASE);

        ClaimResult result = claims().claim(key(job, 0), null, "w2", T0.plusSeconds(10), LEASE);

        assertThat(result).isEqualTo(new HeldByOther(key(job, 0), "w1", T0.plus(LEASE)));
    }

    @Test
    public void claimSucceedsOnceTheLeaseExpiredAndFencesTheOldHolder() {
        NewJob job = created(aJob());
        Lease first = assertClaimed(claims().claim(key(job, 0), null, "w1", T0, LEASE)).task().lease();

        Claimed second = assertClaimed(claims().claim(key(job, 0), null, "w2", T0.plus(LEASE), LEASE));

        assertThat(second.task().attempt()).isEqualTo(2);
        assertThat(second.task().lease().token()).isNotEqualTo(first.token());
        assertThat(completions().complete(first, result("M9"), T0.plus(LEASE))).isEqualTo(new LeaseLost(key(job, 0)));
        assertThat(claims().extend(first, T0.plusSeconds(300))).isFalse();
        assertThat(claims().release(first, T0.plusSeconds(300))).isFalse();
        assertThat(completions().complete(second.task().lease(), result("M9"), T0.plus(LEASE)))
                .isInstanceOf(Completed.class);
    }

    @Test
    public void claimOfACompletedTaskSaysAlreadyCompleted() {
        NewJob job = created(aJob());
        Lease lease = claim(job, 0, "w1", T0);
        completions().complete(lease, result("M2"), T0);

        assertThat(claims().claim(key(job, 0), null, "w2", T0.plusSeconds(100), LEASE))
                .isEqualTo(new AlreadyCompleted(key(job, 0)));
    }

    @Test
    public void claimOfAnUnknownTaskOrJobSaysUnknownTask() {
        NewJob job = created(aJob());
        TaskKey unknownSegment = new TaskKey(job.jobId(), "nope");
        TaskKey unknownJob = new TaskKey(JobId.random(), "S0");

        assertThat(claims().claim(unknownSegment, Span.of(0, 1), "w1", T0, LEASE)).isEqualTo(new UnknownTask(unknownSegment));
        assertThat(claims().claim(unknownJob, Span.of(0, 1), "w1", T0, LEASE)).isEqualTo(new UnknownTask(unknownJob));
    }

    @Test
    public void claimTakesTheSpanFromTheMessageWhenTheTaskHasNone() {
        NewJob job = created(aJob().withoutSpans().withTasks(2));

        assertThat(claims().claim(key(job, 0), null, "w1", T0, LEASE)).isEqualTo(new NoSpan(key(job, 0)));
        Claimed claimed = assertClaimed(claims().claim(key(job, 0), Span.of(5, 9), "w1", T0, LEASE));

        assertThat(claimed.task().span()).isEqualTo(Span.of(5, 9));
        assertThat(claimed.task().attempt()).isEqualTo(1);
    }

    @Test
    public void aTaskWithoutSpanIsClaimedToBeFailedForGoodAndItsJobCountsIt() {
        NewJob job = created(aJob().withManifestation("M7").withoutSpans().withTasks(2));

        Optional<SpanlessTask> held = claims().claimWithoutSpan(key(job, 0), "sweeper", T0, LEASE);

        assertThat(held).hasValueSatisfying(t -> {
            assertThat(t.manifestationId()).isEqualTo("M7");
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.lease().key()).isEqualTo(key(job, 0));
        });
        assertThat(claims().claimWithoutSpan(key(job, 0), "other", T0.plusSeconds(1), LEASE))
                .as("held by a live lease").isEmpty();
        assertThat(completions().fail(held.get().lease(), "no span", true, 5, T0.plusSeconds(2)))
                .isInstanceOf(FailedForGood.class);
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().failedSegments()).isEqualTo(1);
        assertThat(claims().claimWithoutSpan(key(job, 0), "sweeper", T0.plusSeconds(3), LEASE))
                .as("failed for good").isEmpty();
    }

    @Test
    public void aTaskWithASpanOrNoneAtAllIsNotClaimedAsSpanless() {
        NewJob job = created(aJob());
        TaskKey missing = new TaskKey(job.jobId(), "no-such-segment");

        assertThat(claims().claimWithoutSpan(key(job, 0), "sweeper", T0, LEASE)).isEmpty();
        assertThat(claims().claimWithoutSpan(missing, "sweeper", T0, LEASE)).isEmpty();
        assertThat(claims().claim(key(job, 0), null, "w1", T0, LEASE)).as("left as it was").isInstanceOf(Claimed.class);
    }

    @Test
    public void aSpanlessTaskWhoseLeaseExpiredIsClaimedAgainWithANewToken() {
        NewJob job = created(aJob().withoutSpans());
        SpanlessTask first = claims().claimWithoutSpan(key(job, 0), "sweeper-1", T0, LEASE).orElseThrow();

        SpanlessTask second =
                claims().claimWithoutSpan(key(job, 0), "sweeper-2", T0.plus(LEASE).plusSeconds(1), LEASE).orElseThrow();

        assertThat(second.lease().token()).isGreaterThan(first.lease().token());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(completions().fail(first.lease(), "late", true, 5, T0.plus(LEASE).plusSeconds(2)))
                .as("the first holder is fenced off").isInstanceOf(LeaseLost.class);
    }

    @Test
    public void theStoredSpanWinsOverTheMessage() {
        NewJob job = created(aJob());

        Claimed claimed = assertClaimed(claims().claim(key(job, 0), Span.of(500, 600), "w1", T0, LEASE));

        assertThat(claimed.task().span()).isEqualTo(JobTestData.spanOf(0));
    }

    @Test
    public void releaseGivesTheTaskBackWithoutCountingTheAttempt() {
        NewJob job = created(aJob());
        Lease lease = claim(job, 0, "w1", T0);

        assertThat(claims().release(lease, T0.plusSeconds(1))).isTrue();

        Claimed again = assertClaimed(claims().claim(key(job, 0), null, "w2", T0.plusSeconds(2), LEASE));
        assertThat(again.task().attempt()).isEqualTo(1);
    }

    @Test
    public void extendKeepsTheLeaseBeyondItsFirstExpiry() {
        NewJob job = created(aJob());
        Lease lease = claim(job, 0, "w1", T0);

        assertThat(claims().extend(lease, T0.plusSeconds(120))).isTrue();

        assertThat(claims().claim(key(job, 0), null, "w2", T0.plusSeconds(60), LEASE))
                .isEqualTo(new HeldByOther(key(job, 0), "w1", T0.plusSeconds(120)));
    }

    // ------------------------------------------------------------------------- set forms

    private List<Lease> claimAllOf(NewJob job, int count, String owner, java.time.Instant now) {
        List<ClaimResult> results = claims().claimAll(
                IntStream.range(0, count).mapToObj(i -> new ClaimRequest(key(job, i), null, null)).toList(), owner, now, LEASE);
        return results.stream().map(r -> assertClaimed(r).task().lease()).toList();
    }

    @Test
    public void claimAllMakesAMissingTaskOnlyForAJobOfTheGivenManifestation() {
        NewJob job = created(aJob().withTasks(1));
        TaskKey made = new TaskKey(job.jobId(), "made");
        TaskKey otherManifestation = new TaskKey(job.jobId(), "other-manifestation");
        TaskKey unknownJob = new TaskKey(JobId.random(), "s");
        TaskKey notAsked = new TaskKey(job.jobId(), "not-asked");

        List<ClaimResult> results = claims().claimAll(List.of(
                new ClaimRequest(made, Span.of(5, 9), job.manifestationId()),
                new ClaimRequest(otherManifestation, Span.of(5, 9), job.manifestationId() + "-other"),
                new ClaimRequest(unknownJob, Span.of(5, 9), job.manifestationId()),
                new ClaimRequest(notAsked, Span.of(5, 9), null),
                new ClaimRequest(key(job, 0), Span.of(700, 800), job.manifestationId())), "w1", T0, LEASE);

        Claimed claimed = assertClaimed(results.get(0));
        assertThat(claimed.task().span()).isEqualTo(Span.of(5, 9));
        assertThat(claimed.task().attempt()).isEqualTo(1);
        assertThat(claimed.task().manifestationId()).isEqualTo(job.manifestationId());
        assertThat(claimed.task().lease().key()).isEqualTo(made);
        assertThat(results.subList(1, 4)).containsExactly(
                new UnknownTask(otherManifestation), new UnknownTask(unknownJob), new UnknownTask(notAsked));
        assertThat(assertClaimed(results.get(4)).task().span()).as("an existing task is claimed, not made")
                .isEqualTo(JobTestData.spanOf(0));
        assertThat(reads().task(otherManifestation)).isEmpty();
        assertThat(reads().task(unknownJob)).isEmpty();
        assertThat(reads().task(notAsked)).isEmpty();
        assertThat(claims().claimAll(List.of(new ClaimRequest(made, Span.of(5, 9), job.manifestationId())), "w2", T0, LEASE))
                .as("made once: the second worker finds it held")
                .containsExactly(new HeldByOther(made, "w1", T0.plus(LEASE)));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().inProgress()).isEqualTo(2);
    }

    @Test
    public void claimAllSaysForEachTaskWhyItWasNotClaimed() {
        NewJob job = created(aJob().withoutSpans().withTasks(5));
        Lease done = assertClaimed(claims().claim(key(job, 1), Span.of(0, 1), "w0", T0, LEASE)).task().lease();
        completions().complete(done, result("M2"), T0);
        assertClaimed(claims().claim(key(job, 2), Span.of(0, 1), "w2", T0, LEASE));
        Lease failing = assertClaimed(claims().claim(key(job, 3), Span.of(0, 1), "w0", T0, LEASE)).task().lease();
        completions().fail(failing, "bad data", true, 3, T0);
        TaskKey unknown = new TaskKey(job.jobId(), "nope");

        List<ClaimResult> results = claims().claimAll(List.of(
                new ClaimRequest(key(job, 0), Span.of(3, 4), null),
                new ClaimRequest(key(job, 1), Span.of(3, 4), null),
                new ClaimRequest(key(job, 2), Span.of(3, 4), null),
                new ClaimRequest(key(job, 3), Span.of(3, 4), null),
                new ClaimRequest(key(job, 4), null, null),
                new ClaimRequest(key(job, 0), Span.of(3, 4), null),
                new ClaimRequest(unknown, Span.of(3, 4), null)), "w1", T0.plusSeconds(1), LEASE);

        assertThat(assertClaimed(results.get(0)).task().span()).isEqualTo(Span.of(3, 4));
        assertThat(results.subList(1, 7)).containsExactly(
                new AlreadyCompleted(key(job, 1)),
                new HeldByOther(key(job, 2), "w2", T0.plus(LEASE)),
                new Exhausted(key(job, 3), 1, "bad data"),
                new NoSpan(key(job, 4)),
                new HeldByOther(key(job, 0), "w1", T0.plusSeconds(1).plus(LEASE)),
                new UnknownTask(unknown));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().inProgress()).as("the repeat claimed nothing more")
                .isEqualTo(2);
    }

    @Test
    public void claimAllClaimsTheTasksDoneInAnEarlierRunAgain() {
        NewJob job = created(aJob().withTasks(2));
        completions().endAll(claimAllOf(job, 2, "w1", T0).stream().map(l -> Ending.success(l, result("M2"))).toList(), 3, T0);
        jobs().resetJob(job.jobId(), job.tasks(), T0.plusSeconds(10));

        List<ClaimResult> again = claims().claimAll(List.of(new ClaimRequest(key(job, 0), null, null),
                new ClaimRequest(key(job, 1), Span.of(700, 800), job.manifestationId())), "w2", T0.plusSeconds(20), LEASE);

        assertThat(again).allSatisfy(r -> assertThat(assertClaimed(r).task().attempt()).isEqualTo(1));
    }

    @Test
    public void claimAllTakesOverExpiredLeasesAndFencesTheOldHolder() {
        NewJob job = created(aJob().withTasks(2));
        List<Lease> old = claimAllOf(job, 1, "w1", T0);
        Lease mate = claim(job, 1, "w1", T0.plus(LEASE));

        Lease taken = claimAllOf(job, 1, "w2", T0.plus(LEASE)).get(0);

        assertThat(taken.token()).isNotEqualTo(old.get(0).token());
        assertThat(completions().endAll(List.of(Ending.success(old.get(0), result("M2")), Ending.success(mate, result("M2"))),
                3, T0.plus(LEASE))).containsExactly(new LeaseLost(key(job, 0)),
                        new Completed(key(job, 1), false, dev.segrel.core.domain.JobState.IN_PROGRESS));
        assertThat(completions().complete(taken, result("M2"), T0.plus(LEASE))).isInstanceOf(Completed.class);
    }

    @Test
    public void aClaimSaysWhenItTookTheTaskOverFromAnExpiredLease() {
        NewJob job = created(aJob().withTasks(3));
        Claimed fresh = assertClaimed(claims().claim(key(job, 0), null, "w1", T0, LEASE));
        Lease retried = claim(job, 1, "w1", T0);
        completions().endAll(List.of(Ending.failure(retried, "timeout", false)), 3, T0);
        claim(job, 2, "w1", T0);

        Claimed takenOver = assertClaimed(claims().claim(key(job, 0), null, "w2", T0.plus(LEASE), LEASE));
        List<ClaimResult> set = claims().claimAll(List.of(new ClaimRequest(key(job, 1), null, null),
                new ClaimRequest(key(job, 2), null, null)), "w2", T0.plus(LEASE), LEASE);

        assertThat(fresh.task().takeover()).isFalse();
        assertThat(takenOver.task().takeover()).isTrue();
        assertThat(assertClaimed(set.get(0)).task().takeover()).as("a task waiting to be retried").isFalse();
        assertThat(assertClaimed(set.get(1)).task().takeover()).as("an expired lease in a set").isTrue();
    }

    @Test
    public void extendAllAndReleaseAllTouchOnlyTheLeasesStillHeld() {
        NewJob job = created(aJob().withTasks(3));
        List<Lease> leases = claimAllOf(job, 3, "w1", T0);
        claims().release(leases.get(2), T0);

        assertThat(claims().extendAll(leases, T0.plusSeconds(120)))
                .containsExactly(leases.get(0).extendedTo(T0.plusSeconds(120)), leases.get(1).extendedTo(T0.plusSeconds(120)));
        assertThat(claims().claim(key(job, 0), null, "w2", T0.plusSeconds(60), LEASE))
                .isEqualTo(new HeldByOther(key(job, 0), "w1", T0.plusSeconds(120)));
        assertThat(claims().releaseAll(leases, T0.plusSeconds(61))).isEqualTo(2);
        assertThat(claims().releaseAll(leases, T0.plusSeconds(62))).isZero();
        assertThat(claimAllOf(job, 3, "w2", T0.plusSeconds(63)))
                .allSatisfy(l -> assertThat(l.owner()).isEqualTo("w2"));
        assertThat(claims().extendAll(List.of(), T0)).isEmpty();
        assertThat(claims().releaseAll(List.of(), T0)).isZero();
    }
}
