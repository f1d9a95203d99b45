package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.TaskClaims.Exhausted;
import dev.segrel.core.port.out.TaskCompletions.CompleteResult;
import dev.segrel.core.port.out.TaskCompletions.Completed;
import dev.segrel.core.port.out.TaskCompletions.FailResult;
import dev.segrel.core.port.out.TaskCompletions.FailedForGood;
import dev.segrel.core.port.out.TaskCompletions.LeaseLost;
import dev.segrel.core.port.out.TaskCompletions.WillRetry;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskCompletions} must do: fenced results and failures, each counted once, and one completion message per finished job.
 * Extend it with a class that supplies the store's ports over one state ({@link #stores()});
 * each test makes its own jobs, so one store may serve all tests.
 */
public abstract class TaskCompletionsContract extends TaskStoreContractSupport {

    @Test
    public void completeStoresTheResultAndCountsTheTaskOnce() {
        NewJob job = created(aJob().withTasks(2));
        Lease lease = claim(job, 0, "w1", T0);

        CompleteResult result = completions().complete(lease, result("M2"), T0.plusSeconds(1));

        assertThat(result).isEqualTo(new Completed(key(job, 0), false, JobState.IN_PROGRESS));
        assertThat(completions().complete(lease, result("M2"), T0.plusSeconds(2))).isEqualTo(new LeaseLost(key(job, 0)));
        JobStatus status = jobs().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.completedSegments()).isEqualTo(1);
        assertThat(status.state()).isEqualTo(JobState.IN_PROGRESS);
        assertThat(completionMessages(job.jobId())).isEmpty();
    }

    @Test
    public void theLastTaskCompletesTheJobAndWritesOneCompletionMessage() {
        NewJob job = created(aJob().withManifestation("M\"5").withTasks(2));
        completions().complete(claim(job, 0, "w1", T0), result("M2"), T0);

        CompleteResult last = completions().complete(claim(job, 1, "w2", T0), result("M3"), T0);

        assertThat(last).isEqualTo(new Completed(key(job, 1), true, JobState.COMPLETED));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        List<Outbox.Message> messages = completionMessages(job.jobId());
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).destination()).isEqualTo("completed");
        assertThat(messages.get(0).body()).isEqualTo("{\"job_id\":\"" + job.jobId() + "\",\"manifestation_id\":\"M\\\"5\","
                + "\"status\":\"COMPLETED\",\"total_segments\":2,\"completed_segments\":2,\"failed_segments\":0}");
    }

    @Test
    public void theCompletionMessageContinuesTheTraceOfTheEndingThatFinishedTheJob() {
        NewJob job = created(aJob().withTasks(2));
        TraceContext first = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01", null);
        TraceContext last = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "v=1");
        completions().endAll(List.of(Ending.success(claim(job, 0, "w1", T0), result("M2")).withTrace(first)), 5, T0);

        completions().endAll(List.of(Ending.success(claim(job, 1, "w1", T0), result("M2")).withTrace(last)), 5, T0);

        assertThat(completionMessages(job.jobId())).singleElement()
                .satisfies(m -> assertThat(m.trace()).isEqualTo(last));
        NewJob untraced = created(aJob().withTasks(1));
        completions().endAll(List.of(Ending.success(claim(untraced, 0, "w1", T0), result("M2"))), 5, T0);
        assertThat(completionMessages(untraced.jobId())).singleElement()
                .satisfies(m -> assertThat(m.trace()).isNull());
    }

    @Test
    public void failRetriesBelowTheLimitAndFailsForGoodAtIt() {
        NewJob job = created(aJob().withTasks(2));
        completions().complete(claim(job, 1, "w1", T0), result("M2"), T0);

        FailResult first = completions().fail(claim(job, 0, "w1", T0), "graph down", false, 2, T0);
        assertThat(first).isEqualTo(new WillRetry(key(job, 0), 1));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().retrying()).isEqualTo(1);

        FailResult second = completions().fail(claim(job, 0, "w2", T0.plusSeconds(1)), "graph down again", false, 2, T0);
        assertThat(second).isEqualTo(new FailedForGood(key(job, 0), 2, true, JobState.FAILED));

        assertThat(claims().claim(key(job, 0), null, "w3", T0.plusSeconds(100), LEASE))
                .isEqualTo(new Exhausted(key(job, 0), 2, "graph down again"));
        JobStatus status = jobs().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.FAILED);
        assertThat(status.completedSegments()).isEqualTo(1);
        assertThat(status.failedSegments()).isEqualTo(1);
        List<Outbox.Message> messages = completionMessages(job.jobId());
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).body()).contains("\"status\":\"FAILED\"", "\"completed_segments\":1", "\"failed_segments\":1");
    }

    @Test
    public void aPermanentFailureFailsAtTheFirstAttempt() {
        NewJob job = created(aJob().withTasks(2));

        FailResult result = completions().fail(claim(job, 0, "w1", T0), "bad span", true, 5, T0);

        assertThat(result).isEqualTo(new FailedForGood(key(job, 0), 1, false, JobState.IN_PROGRESS));
    }

    @Test
    public void failByAWorkerWhoseLeaseWasTakenOverWritesNothing() {
        NewJob job = created(aJob());
        Lease old = claim(job, 0, "w1", T0);
        claim(job, 0, "w2", T0.plus(LEASE));

        assertThat(completions().fail(old, "late", true, 1, T0.plus(LEASE)))
                .isEqualTo(new LeaseLost(key(job, 0)));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().inProgress()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------- set forms

    @Test
    public void endAllEndsEachTaskOfTheSetAsItsEndingSays() {
        NewJob job = created(aJob().withTasks(5));
        Lease stale = claim(job, 3, "w1", T0);
        Lease ok = claim(job, 0, "w1", T0.plus(LEASE));
        Lease flaky = claim(job, 1, "w1", T0.plus(LEASE));
        Lease bad = claim(job, 2, "w1", T0.plus(LEASE));
        Lease taken = claim(job, 3, "w2", T0.plus(LEASE));

        List<TaskCompletions.EndResult> results = completions().endAll(List.of(
                Ending.success(ok, result("M2")),
                Ending.failure(flaky, "timeout", false),
                Ending.failure(bad, "bad data", true),
                Ending.success(stale, result("M2")),
                Ending.success(ok, result("M3"))), 3, T0.plus(LEASE));

        assertThat(results).containsExactly(
                new Completed(key(job, 0), false, JobState.IN_PROGRESS),
                new WillRetry(key(job, 1), 1),
                new FailedForGood(key(job, 2), 1, false, JobState.IN_PROGRESS),
                new LeaseLost(key(job, 3)),
                new LeaseLost(key(job, 0)));
        JobStatus status = jobs().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.completedSegments()).isEqualTo(1);
        assertThat(status.failedSegments()).isEqualTo(1);
        assertThat(status.retrying()).isEqualTo(1);
        assertThat(status.inProgress()).as("the taken-over task is still the new holder's").isEqualTo(1);
        assertThat(reads().task(key(job, 0)).orElseThrow().mappings()).isEqualTo(result("M2"));
        assertThat(reads().task(key(job, 2)).orElseThrow().error()).isEqualTo("bad data");
        assertThat(reads().task(key(job, 3)).orElseThrow().state()).isEqualTo(TaskState.IN_PROGRESS);
        assertThat(completions().complete(taken, result("M2"), T0.plus(LEASE))).isInstanceOf(Completed.class);
    }

    @Test
    public void endAllFinishesAJobOnceWithOneCompletionMessage() {
        NewJob job = created(aJob().withTasks(4));
        completions().complete(claim(job, 0, "w1", T0), result("M2"), T0);
        List<Lease> leases = List.of(claim(job, 1, "w1", T0), claim(job, 2, "w1", T0), claim(job, 3, "w1", T0));

        List<TaskCompletions.EndResult> results = completions().endAll(List.of(
                Ending.success(leases.get(0), result("M2")),
                Ending.failure(leases.get(1), "bad data", true),
                Ending.success(leases.get(2), result("M2"))), 3, T0);

        assertThat(results).containsExactly(
                new Completed(key(job, 1), false, JobState.IN_PROGRESS),
                new FailedForGood(key(job, 2), 1, false, JobState.IN_PROGRESS),
                new Completed(key(job, 3), true, JobState.FAILED));
        assertThat(completions().endAll(leases.stream().map(l -> Ending.success(l, result("M2"))).toList(), 3, T0))
                .containsExactly(new LeaseLost(key(job, 1)), new LeaseLost(key(job, 2)), new LeaseLost(key(job, 3)));
        JobStatus status = jobs().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.FAILED);
        assertThat(status.completedSegments()).isEqualTo(3);
        assertThat(status.failedSegments()).isEqualTo(1);
        List<Outbox.Message> messages = completionMessages(job.jobId());
        assertThat(messages).singleElement().satisfies(m -> assertThat(m.body()).contains(
                "\"status\":\"FAILED\"", "\"total_segments\":4", "\"completed_segments\":3", "\"failed_segments\":1"));
    }

    @Test
    public void endAllOfAnEmptySetDoesNothing() {
        assertThat(completions().endAll(List.of(), 3, T0)).isEmpty();
    }
}
