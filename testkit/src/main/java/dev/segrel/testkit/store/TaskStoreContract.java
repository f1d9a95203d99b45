package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.port.out.TaskStore.AlreadyCompleted;
import dev.segrel.core.port.out.TaskStore.ClaimResult;
import dev.segrel.core.port.out.TaskStore.Claimed;
import dev.segrel.core.port.out.TaskStore.CompleteResult;
import dev.segrel.core.port.out.TaskStore.Completed;
import dev.segrel.core.port.out.TaskStore.Exhausted;
import dev.segrel.core.port.out.TaskStore.FailResult;
import dev.segrel.core.port.out.TaskStore.FailedForGood;
import dev.segrel.core.port.out.TaskStore.HeldByOther;
import dev.segrel.core.port.out.TaskStore.JobAlreadyExists;
import dev.segrel.core.port.out.TaskStore.JobCreated;
import dev.segrel.core.port.out.TaskStore.JobResults;
import dev.segrel.core.port.out.TaskStore.JobQuery;
import dev.segrel.core.port.out.TaskStore.JobStatus;
import dev.segrel.core.port.out.TaskStore.TaskDetail;
import dev.segrel.core.port.out.TaskStore.Lease;
import dev.segrel.core.port.out.TaskStore.LeaseLost;
import dev.segrel.core.port.out.TaskStore.NewJob;
import dev.segrel.core.port.out.TaskStore.NoSpan;
import dev.segrel.core.port.out.TaskStore.NothingToReprocess;
import dev.segrel.core.port.out.TaskStore.PendingTask;
import dev.segrel.core.port.out.TaskStore.Reprocessed;
import dev.segrel.core.port.out.TaskStore.UnknownTask;
import dev.segrel.core.port.out.TaskStore.WillRetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskStore} (with the {@link Outbox} it writes completions to) must do. Extend it
 * with a class that supplies both; each test makes its own jobs, so one store may serve all tests.
 */
public abstract class TaskStoreContract {

    protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    protected static final Duration LEASE = Duration.ofSeconds(30);

    private static final AtomicLong looks = new AtomicLong();

    protected abstract TaskStore store();

    /** The outbox the store writes completion messages to. */
    protected abstract Outbox outbox();

    // --------------------------------------------------------------------------- create

    @Test
    public void createJobStoresTheJobAndItsQueuedTasks() {
        NewJob job = aJob().withManifestation("M7").withTasks(3).build();

        assertThat(store().createJob(job, T0)).isEqualTo(new JobCreated(job.jobId(), 3));

        JobStatus status = store().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.manifestationId()).isEqualTo("M7");
        assertThat(status.state()).isEqualTo(JobState.QUEUED);
        assertThat(status.totalSegments()).isEqualTo(3);
        assertThat(status.completedSegments()).isZero();
        assertThat(status.failedSegments()).isZero();
        assertThat(status.queued()).isEqualTo(3);
    }

    @Test
    public void createJobIsIdempotentOnTheJobId() {
        NewJob job = aJob().withTasks(2).build();
        store().createJob(job, T0);

        var again = store().createJob(aJob().withId(job.jobId()).withTasks(5).build(), T0.plusSeconds(1));

        assertThat(again).isEqualTo(new JobAlreadyExists(job.jobId(), 2));
        assertThat(store().jobStatus(job.jobId()).orElseThrow().totalSegments()).isEqualTo(2);
    }

    @Test
    public void aJobWithoutTasksIsCompletedAtOnceAndAnnounced() {
        NewJob job = aJob().withTasks(0).build();

        store().createJob(job, T0);

        assertThat(store().jobStatus(job.jobId()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(completionMessages(job.jobId())).hasSize(1);
    }

    @Test
    public void statusAndResultsOfAnUnknownJobAreEmpty() {
        assertThat(store().jobStatus(JobId.random())).isEmpty();
        assertThat(store().jobResults(JobId.random())).isEmpty();
    }

    // ---------------------------------------------------------------------------- claim

    @Test
    public void claimOfAQueuedTaskGivesALeaseWithTheStoredSpan() {
        NewJob job = created(aJob().withManifestation("M3").withTasks(2));

        ClaimResult result = store().claim(key(job, 1), null, "w1", T0, LEASE);

        Claimed claimed = assertClaimed(result);
        assertThat(claimed.task().manifestationId()).isEqualTo("M3");
        assertThat(claimed.task().span()).isEqualTo(JobTestData.spanOf(1));
        assertThat(claimed.task().attempt()).isEqualTo(1);
        assertThat(claimed.task().lease().owner()).isEqualTo("w1");
        assertThat(claimed.task().lease().expiresAt()).isEqualTo(T0.plus(LEASE));
        assertThat(store().jobStatus(job.jobId()).orElseThrow().inProgress()).isEqualTo(1);
    }

    @Test
    public void claimFailsWhileAnotherWorkerHoldsTheLease() {
        NewJob job = created(aJob());
        store().claim(key(job, 0), null, "w1", T0, LEASE);

        ClaimResult result = store().claim(key(job, 0), null, "w2", T0.plusSeconds(10), LEASE);

        assertThat(result).isEqualTo(new HeldByOther(key(job, 0), "w1", T0.plus(LEASE)));
    }

    @Test
    public void claimSucceedsOnceTheLeaseExpiredAndFencesTheOldHolder() {
        NewJob job = created(aJob());
        Lease first = assertClaimed(store().claim(key(job, 0), null, "w1", T0, LEASE)).task().lease();

        Claimed second = assertClaimed(store().claim(key(job, 0), null, "w2", T0.plus(LEASE), LEASE));

        assertThat(second.task().attempt()).isEqualTo(2);
        assertThat(second.task().lease().token()).isNotEqualTo(first.token());
        assertThat(store().complete(first, result("M9"), T0.plus(LEASE))).isEqualTo(new LeaseLost(key(job, 0)));
        assertThat(store().extend(first, T0.plusSeconds(300))).isFalse();
        assertThat(store().release(first, T0.plusSeconds(300))).isFalse();
        assertThat(store().complete(second.task().lease(), result("M9"), T0.plus(LEASE)))
                .isInstanceOf(Completed.class);
    }

    @Test
    public void claimOfACompletedTaskSaysAlreadyCompleted() {
        NewJob job = created(aJob());
        Lease lease = claim(job, 0, "w1", T0);
        store().complete(lease, result("M2"), T0);

        assertThat(store().claim(key(job, 0), null, "w2", T0.plusSeconds(100), LEASE))
                .isEqualTo(new AlreadyCompleted(key(job, 0)));
    }

    @Test
    public void claimOfAnUnknownTaskOrJobSaysUnknownTask() {
        NewJob job = created(aJob());
        TaskKey unknownSegment = new TaskKey(job.jobId(), "nope");
        TaskKey unknownJob = new TaskKey(JobId.random(), "S0");

        assertThat(store().claim(unknownSegment, Span.of(0, 1), "w1", T0, LEASE)).isEqualTo(new UnknownTask(unknownSegment));
        assertThat(store().claim(unknownJob, Span.of(0, 1), "w1", T0, LEASE)).isEqualTo(new UnknownTask(unknownJob));
    }

    @Test
    public void claimTakesTheSpanFromTheMessageWhenTheTaskHasNone() {
        NewJob job = created(aJob().withoutSpans().withTasks(2));

        assertThat(store().claim(key(job, 0), null, "w1", T0, LEASE)).isEqualTo(new NoSpan(key(job, 0)));
        Claimed claimed = assertClaimed(store().claim(key(job, 0), Span.of(5, 9), "w1", T0, LEASE));

        assertThat(claimed.task().span()).isEqualTo(Span.of(5, 9));
        assertThat(claimed.task().attempt()).isEqualTo(1);
    }

    @Test
    public void theStoredSpanWinsOverTheMessage() {
        NewJob job = created(aJob());

        Claimed claimed = assertClaimed(store().claim(key(job, 0), Span.of(500, 600), "w1", T0, LEASE));

        assertThat(claimed.task().span()).isEqualTo(JobTestData.spanOf(0));
    }

    // ------------------------------------------------------------------------- complete

    @Test
    public void completeStoresTheResultAndCountsTheTaskOnce() {
        NewJob job = created(aJob().withTasks(2));
        Lease lease = claim(job, 0, "w1", T0);

        CompleteResult result = store().complete(lease, result("M2"), T0.plusSeconds(1));

        assertThat(result).isEqualTo(new Completed(key(job, 0), false, JobState.IN_PROGRESS));
        assertThat(store().complete(lease, result("M2"), T0.plusSeconds(2))).isEqualTo(new LeaseLost(key(job, 0)));
        JobStatus status = store().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.completedSegments()).isEqualTo(1);
        assertThat(status.state()).isEqualTo(JobState.IN_PROGRESS);
        assertThat(completionMessages(job.jobId())).isEmpty();
    }

    @Test
    public void theLastTaskCompletesTheJobAndWritesOneCompletionMessage() {
        NewJob job = created(aJob().withManifestation("M\"5").withTasks(2));
        store().complete(claim(job, 0, "w1", T0), result("M2"), T0);

        CompleteResult last = store().complete(claim(job, 1, "w2", T0), result("M3"), T0);

        assertThat(last).isEqualTo(new Completed(key(job, 1), true, JobState.COMPLETED));
        assertThat(store().jobStatus(job.jobId()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        List<Outbox.Message> messages = completionMessages(job.jobId());
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).destination()).isEqualTo("completed");
        assertThat(messages.get(0).body()).isEqualTo("{\"job_id\":\"" + job.jobId() + "\",\"manifestation_id\":\"M\\\"5\","
                + "\"status\":\"COMPLETED\",\"total_segments\":2,\"completed_segments\":2,\"failed_segments\":0}");
    }

    @Test
    public void jobResultsListEveryTaskWithItsMappings() {
        NewJob job = created(aJob().withManifestation("M1").withTasks(2));
        List<Mapping> mappings = List.of(
                new Mapping("M2", List.of(Segment.of("a", 0, 4), Segment.of("b", 4, 9))), new Mapping("M3", List.of()));
        store().complete(claim(job, 0, "w1", T0), mappings, T0);

        JobResults results = store().jobResults(job.jobId()).orElseThrow();

        assertThat(results.manifestationId()).isEqualTo("M1");
        assertThat(results.segments()).hasSize(2);
        assertThat(results.segments().get(0).segmentId()).isEqualTo("S0");
        assertThat(results.segments().get(0).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(results.segments().get(0).mappings()).isEqualTo(mappings);
        assertThat(results.segments().get(1).state()).isEqualTo(TaskState.QUEUED);
        assertThat(results.segments().get(1).mappings()).isEmpty();
    }

    // ----------------------------------------------------------------------------- fail

    @Test
    public void failRetriesBelowTheLimitAndFailsForGoodAtIt() {
        NewJob job = created(aJob().withTasks(2));
        store().complete(claim(job, 1, "w1", T0), result("M2"), T0);

        FailResult first = store().fail(claim(job, 0, "w1", T0), "graph down", false, 2, T0);
        assertThat(first).isEqualTo(new WillRetry(key(job, 0), 1));
        assertThat(store().jobStatus(job.jobId()).orElseThrow().retrying()).isEqualTo(1);

        FailResult second = store().fail(claim(job, 0, "w2", T0.plusSeconds(1)), "graph down again", false, 2, T0);
        assertThat(second).isEqualTo(new FailedForGood(key(job, 0), 2, true, JobState.FAILED));

        assertThat(store().claim(key(job, 0), null, "w3", T0.plusSeconds(100), LEASE))
                .isEqualTo(new Exhausted(key(job, 0), 2, "graph down again"));
        JobStatus status = store().jobStatus(job.jobId()).orElseThrow();
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

        FailResult result = store().fail(claim(job, 0, "w1", T0), "bad span", true, 5, T0);

        assertThat(result).isEqualTo(new FailedForGood(key(job, 0), 1, false, JobState.IN_PROGRESS));
    }

    @Test
    public void failByAWorkerWhoseLeaseWasTakenOverWritesNothing() {
        NewJob job = created(aJob());
        Lease old = claim(job, 0, "w1", T0);
        claim(job, 0, "w2", T0.plus(LEASE));

        assertThat(store().fail(old, "late", true, 1, T0.plus(LEASE)))
                .isEqualTo(new TaskStore.FailLeaseLost(key(job, 0)));
        assertThat(store().jobStatus(job.jobId()).orElseThrow().inProgress()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ release, extend

    @Test
    public void releaseGivesTheTaskBackWithoutCountingTheAttempt() {
        NewJob job = created(aJob());
        Lease lease = claim(job, 0, "w1", T0);

        assertThat(store().release(lease, T0.plusSeconds(1))).isTrue();

        Claimed again = assertClaimed(store().claim(key(job, 0), null, "w2", T0.plusSeconds(2), LEASE));
        assertThat(again.task().attempt()).isEqualTo(1);
    }

    @Test
    public void extendKeepsTheLeaseBeyondItsFirstExpiry() {
        NewJob job = created(aJob());
        Lease lease = claim(job, 0, "w1", T0);

        assertThat(store().extend(lease, T0.plusSeconds(120))).isTrue();

        assertThat(store().claim(key(job, 0), null, "w2", T0.plusSeconds(60), LEASE))
                .isEqualTo(new HeldByOther(key(job, 0), "w1", T0.plusSeconds(120)));
    }

    // --------------------------------------------------------------------------- sweeper

    @Test
    public void reclaimTurnsExpiredLeasesIntoRetryingTasksAndFencesTheirHolders() {
        NewJob job = created(aJob().withManifestation("M4").withTasks(2));
        Lease expired = claim(job, 0, "w1", T0);
        claim(job, 1, "w1", T0.plusSeconds(100));

        List<PendingTask> reclaimed = store().reclaimExpired(T0.plus(LEASE).plusSeconds(1), 1000).stream()
                .filter(t -> t.key().jobId().equals(job.jobId()))
                .toList();

        assertThat(reclaimed).containsExactly(
                new PendingTask(key(job, 0), "M4", TaskState.RETRYING, JobTestData.spanOf(0)));
        assertThat(store().complete(expired, result("M2"), T0.plusSeconds(40))).isEqualTo(new LeaseLost(key(job, 0)));
        assertThat(store().claim(key(job, 0), null, "w2", T0.plusSeconds(41), LEASE)).isInstanceOf(Claimed.class);
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

    // ------------------------------------------------------------------------- reprocess

    @Test
    public void reprocessingOnlyTheFailedTasksCorrectsTheCountsAndAnnouncesTheJobAgain() {
        NewJob job = created(aJob().withTasks(2));
        store().complete(claim(job, 0, "w1", T0), result("M2"), T0);
        store().fail(claim(job, 1, "w1", T0), "boom", true, 3, T0);
        assertThat(completionMessages(job.jobId())).hasSize(1);

        var result = store().reprocessJob(job.jobId(), true, T0.plusSeconds(5));

        assertThat(result).isInstanceOf(Reprocessed.class);
        assertThat(((Reprocessed) result).tasks()).extracting(PendingTask::key).containsExactly(key(job, 1));
        JobStatus status = store().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.IN_PROGRESS);
        assertThat(status.completedSegments()).isEqualTo(1);
        assertThat(status.failedSegments()).isZero();
        assertThat(status.queued()).isEqualTo(1);

        Claimed again = assertClaimed(store().claim(key(job, 1), null, "w2", T0.plusSeconds(6), LEASE));
        assertThat(again.task().attempt()).isEqualTo(1);
        assertThat(store().complete(again.task().lease(), result("M2"), T0.plusSeconds(7)))
                .isEqualTo(new Completed(key(job, 1), true, JobState.COMPLETED));
        assertThat(completionMessages(job.jobId())).hasSize(1)
                .allSatisfy(m -> assertThat(m.body()).contains("\"status\":\"COMPLETED\""));
    }

    @Test
    public void reprocessingATaskFencesItsHolderAndQueuesIt() {
        NewJob job = created(aJob().withTasks(2));
        Lease lease = claim(job, 0, "w1", T0);

        var result = store().reprocessTask(key(job, 0), T0.plusSeconds(1));

        assertThat(result).isInstanceOf(Reprocessed.class);
        assertThat(store().complete(lease, result("M2"), T0.plusSeconds(2))).isEqualTo(new LeaseLost(key(job, 0)));
        assertThat(store().jobStatus(job.jobId()).orElseThrow().queued()).isEqualTo(2);
    }

    @Test
    public void reprocessingSomethingUnknownSaysSo() {
        JobId unknown = JobId.random();
        NewJob job = created(aJob());

        assertThat(store().reprocessJob(unknown, false, T0)).isEqualTo(new NothingToReprocess(unknown, true));
        assertThat(store().reprocessTask(new TaskKey(job.jobId(), "nope"), T0))
                .isEqualTo(new NothingToReprocess(job.jobId(), true));
        assertThat(store().reprocessJob(job.jobId(), true, T0)).isEqualTo(new NothingToReprocess(job.jobId(), false));
    }

    // ------------------------------------------------------------------ operators: reading

    @Test
    public void taskShowsTheStoredStateSpanAttemptsAndResult() {
        NewJob job = created(aJob().withManifestation("M1").withTasks(2));
        store().complete(claim(job, 0, "w1", T0), result("M2"), T0);

        TaskDetail done = store().task(key(job, 0)).orElseThrow();
        TaskDetail waiting = store().task(key(job, 1)).orElseThrow();

        assertThat(done).isEqualTo(new TaskDetail(key(job, 0), "M1", TaskState.COMPLETED, JobTestData.spanOf(0), 1,
                result("M2"), null));
        assertThat(waiting.state()).isEqualTo(TaskState.QUEUED);
        assertThat(waiting.mappings()).isEmpty();
        assertThat(store().task(new TaskKey(job.jobId(), "nope"))).isEmpty();
        assertThat(store().task(new TaskKey(JobId.random(), "S0"))).isEmpty();
    }

    @Test
    public void forEachTaskHandsOverEveryTaskOrderedBySegmentId() {
        NewJob job = created(aJob().withTasks(12));
        store().complete(claim(job, 3, "w1", T0), result("M9"), T0);
        List<TaskDetail> seen = new ArrayList<>();

        boolean known = store().forEachTask(job.jobId(), seen::add);

        assertThat(known).isTrue();
        assertThat(seen).extracting(t -> t.key().segmentId())
                .containsExactly("S0", "S1", "S10", "S11", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9");
        assertThat(seen.get(5).mappings()).isEqualTo(result("M9"));
        assertThat(seen.get(5).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(store().forEachTask(JobId.random(), t -> {
            throw new AssertionError("no task of an unknown job");
        })).isFalse();
    }

    @Test
    public void listJobsFiltersByStateAndManifestationNewestFirst() {
        String manifestation = "list-" + UUID.randomUUID();
        NewJob older = aJob().withManifestation(manifestation).withTasks(1).build();
        NewJob newer = aJob().withManifestation(manifestation).withTasks(2).build();
        store().createJob(older, T0);
        store().createJob(newer, T0.plusSeconds(5));
        store().complete(assertClaimed(store().claim(key(older, 0), null, "w", T0, LEASE)).task().lease(),
                result("M2"), T0);

        List<JobStatus> all = store().listJobs(new JobQuery(null, manifestation, 10));
        List<JobStatus> completed = store().listJobs(new JobQuery(JobState.COMPLETED, manifestation, 10));
        List<JobStatus> first = store().listJobs(new JobQuery(null, manifestation, 1));

        assertThat(all).extracting(JobStatus::jobId).containsExactly(newer.jobId(), older.jobId());
        assertThat(all.get(0).totalSegments()).isEqualTo(2);
        assertThat(all.get(0).queued()).isEqualTo(2);
        assertThat(completed).extracting(JobStatus::jobId).containsExactly(older.jobId());
        assertThat(first).extracting(JobStatus::jobId).containsExactly(newer.jobId());
        assertThat(store().listJobs(new JobQuery(null, "no-such-" + UUID.randomUUID(), 10))).isEmpty();
    }

    // --------------------------------------------------------------------------- helpers

    protected NewJob created(JobTestData data) {
        NewJob job = data.build();
        store().createJob(job, T0);
        return job;
    }

    protected static TaskKey key(NewJob job, int i) {
        return new TaskKey(job.jobId(), JobTestData.segmentId(i));
    }

    protected Lease claim(NewJob job, int i, String owner, Instant now) {
        return assertClaimed(store().claim(key(job, i), null, owner, now, LEASE)).task().lease();
    }

    protected static Claimed assertClaimed(ClaimResult result) {
        assertThat(result).isInstanceOf(Claimed.class);
        return (Claimed) result;
    }

    protected static List<Mapping> result(String manifestation) {
        return List.of(new Mapping(manifestation, List.of(Segment.of("x", 0, 5))));
    }

    private List<PendingTask> strandedOf(NewJob job, Instant quietSince, Instant now) {
        return store().takeStranded(quietSince, 10_000, now).stream()
                .filter(t -> t.key().jobId().equals(job.jobId()))
                .toList();
    }

    /** The job's completion messages that are pending (taken under a lease that ends at once). */
    protected List<Outbox.Message> completionMessages(JobId jobId) {
        // Each look comes later than the one before, so what an earlier look leased is visible again.
        Instant now = T0.plus(Duration.ofDays(3650)).plusSeconds(looks.incrementAndGet());
        List<Outbox.Message> all = outbox().take(10_000, "contract", now, Duration.ofMillis(1));
        return all.stream().filter(m -> m.messageId().equals("job-completed:" + jobId)).toList();
    }
}
