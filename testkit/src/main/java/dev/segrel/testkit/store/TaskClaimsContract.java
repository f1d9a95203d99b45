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
import dev.segrel.core.port.out.TaskClaims.UnknownTask;
import dev.segrel.core.port.out.TaskCompletions.Completed;
import dev.segrel.core.port.out.TaskCompletions.LeaseLost;
import dev.segrel.core.port.out.TaskClaims;
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
}
