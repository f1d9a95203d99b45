package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.Batches.Registered;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.TaskClaims.Creation;
import dev.segrel.core.port.out.TaskClaims.AlreadyCompleted;
import dev.segrel.core.port.out.TaskClaims.UnknownTask;
import dev.segrel.core.port.out.TaskClaims.ClaimRequest;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Batches}, of {@code TaskClaims.create} and of {@code Jobs.resetJob}: the
 * deployed producer's batches, tasks it never inserted, and the runs a reset starts. Every
 * implementation's test extends it.
 */
public abstract class BatchesContract extends TaskStoreContractSupport {

    protected final Batches batches() {
        return stores().batches();
    }

    protected static Batch batchOf(NewJob job, Integer number, int from, int to, String destination) {
        return new Batch(job.jobId(), job.manifestationId(), number, job.tasks().size(),
                IntStream.range(from, to).mapToObj(JobTestData::segmentId).toList(), "DEVELOPMENT", destination);
    }

    private void completeTask(NewJob job, int i, String owner) {
        Lease lease = claim(job, i, owner, T0);
        completions().complete(lease, result("M2"), T0);
    }

    private List<Outbox.Message> batchMessages(JobId job) {
        return messagesOf(job).stream().filter(m -> m.messageId().startsWith("batch-completed:")).toList();
    }

    @Test
    void aBatchOfAnUnknownJobIsRefused() {
        Batch batch = new Batch(JobId.random(), "M", 1, 1, List.of("s"), null, "PRODUCTION");

        assertThat(batches().register(batch, T0)).isInstanceOf(Batches.UnknownJob.class);
    }

    @Test
    void aBatchOfAnotherManifestationIsRefused() {
        NewJob job = created(aJob().withTasks(2));
        Batch batch = new Batch(job.jobId(), job.manifestationId() + "-other", 1, 2, List.of("s"), null, "P");

        assertThat(batches().register(batch, T0)).isEqualTo(
                new Batches.OfAnotherManifestation(job.jobId(), job.manifestationId()));
    }

    @Test
    void aBatchIsAnnouncedOnceWhenItsLastSegmentIsDoneAndItsJobGetsNoJobMessage() {
        NewJob job = created(aJob().withTasks(4));
        Batch first = batchOf(job, 1, 0, 2, "PRODUCTION");
        Batch second = batchOf(job, 2, 2, 4, "PRODUCTION");
        assertThat(batches().register(first, T0)).isEqualTo(new Registered(0, true, 2));
        assertThat(batches().register(second, T0)).isEqualTo(new Registered(0, true, 2));

        completeTask(job, 0, "w1");
        assertThat(batchMessages(job.jobId())).isEmpty();
        completeTask(job, 1, "w1");
        completeTask(job, 2, "w2");
        completeTask(job, 3, "w2");

        List<Outbox.Message> messages = messagesOf(job.jobId());
        assertThat(messages).extracting(Outbox.Message::messageId).containsExactlyInAnyOrder(
                "batch-completed:" + job.jobId() + ":0:1", "batch-completed:" + job.jobId() + ":0:2");
        assertThat(messages).extracting(Outbox.Message::body).anySatisfy(body -> assertThat(body)
                .startsWith("{\"text_id\":\"" + job.manifestationId() + "\",\"segment_ids\":[\"" + JobTestData.segmentId(0)
                        + "\",\"" + JobTestData.segmentId(1) + "\"],\"total_segments\":4,"
                        + "\"source_environment\":\"DEVELOPMENT\",\"destination_environment\":\"PRODUCTION\""));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aBatchSeenAgainInTheSameRunIsNotAnnouncedAgain() {
        NewJob job = created(aJob().withTasks(2));
        Batch batch = batchOf(job, 1, 0, 2, "PRODUCTION");
        batches().register(batch, T0);
        completeTask(job, 0, "w1");
        completeTask(job, 1, "w1");

        assertThat(batches().register(batch, T0)).isEqualTo(new Registered(0, false, 0));
        assertThat(claims().claim(key(job, 0), null, "w2", T0, LEASE)).isInstanceOf(AlreadyCompleted.class);
        assertThat(batchMessages(job.jobId())).hasSize(1);
    }

    @Test
    void aBatchWhoseSegmentsAreAllDoneAlreadyIsAnnouncedAtRegistration() {
        NewJob job = created(aJob().withTasks(3));
        batches().register(batchOf(job, 1, 0, 3, "PRODUCTION"), T0);
        completeTask(job, 0, "w1");
        completeTask(job, 1, "w1");
        completeTask(job, 2, "w1");

        // another batch of segments done already (the producer re-batched them)
        assertThat(batches().register(batchOf(job, 9, 1, 3, "PRODUCTION"), T0)).isEqualTo(new Registered(0, true, 0));
        assertThat(batchMessages(job.jobId())).extracting(Outbox.Message::messageId)
                .contains("batch-completed:" + job.jobId() + ":0:9");
    }

    @Test
    void aBatchWithoutDestinationIsComputedButNotAnnouncedAndLeavesItsJobTheJobMessage() {
        NewJob job = created(aJob().withTasks(1));
        batches().register(batchOf(job, 1, 0, 1, null), T0);
        completeTask(job, 0, "w1");

        assertThat(batchMessages(job.jobId())).isEmpty();
        assertThat(completionMessages(job.jobId())).as("the job's own message, as for single messages").hasSize(1);
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aBatchWithAFailedSegmentIsAnnouncedAsFailed() {
        NewJob job = created(aJob().withTasks(2));
        batches().register(batchOf(job, 1, 0, 2, "PRODUCTION"), T0);
        completeTask(job, 0, "w1");
        completions().fail(claim(job, 1, "w1", T0), "bad data", true, 3, T0);

        assertThat(batchMessages(job.jobId())).singleElement().satisfies(m -> assertThat(m.body())
                .contains("\"status\":\"FAILED\"", "\"completed_segments\":1", "\"failed_segments\":1"));
    }

    @Test
    void aMissingTaskOfAJobIsMadeOnceWithItsSpan() {
        NewJob job = created(aJob().withTasks(1));
        TaskKey missing = new TaskKey(job.jobId(), "new-segment");

        assertThat(claims().claim(missing, Span.of(5, 9), "w1", T0, LEASE)).isInstanceOf(UnknownTask.class);
        assertThat(claims().create(missing, job.manifestationId(), Span.of(5, 9), T0)).isEqualTo(Creation.MADE);
        assertThat(claims().create(missing, job.manifestationId(), Span.of(5, 9), T0)).isEqualTo(Creation.EXISTED);
        assertThat(assertClaimed(claims().claim(missing, null, "w1", T0, LEASE)).task().span()).isEqualTo(Span.of(5, 9));
    }

    @Test
    void noTaskIsMadeForAnUnknownJobOrAnotherManifestation() {
        NewJob job = created(aJob().withTasks(1));

        assertThat(claims().create(new TaskKey(JobId.random(), "s"), "M", Span.of(0, 1), T0)).isEqualTo(Creation.UNKNOWN_JOB);
        assertThat(claims().create(new TaskKey(job.jobId(), "s"), job.manifestationId() + "x", Span.of(0, 1), T0))
                .isEqualTo(Creation.OTHER_MANIFESTATION);
        assertThat(reads().task(new TaskKey(job.jobId(), "s"))).isEmpty();
    }

    @Test
    void aResetStartsARunInWhichEveryTaskIsComputedAndEveryBatchAnnouncedAgain() {
        NewJob job = created(aJob().withTasks(2));
        Batch batch = batchOf(job, 1, 0, 2, "PRODUCTION");
        batches().register(batch, T0);
        completeTask(job, 0, "w1");
        completeTask(job, 1, "w1");

        OptionalInt run = jobs().resetJob(job.jobId(), job.tasks(), T0.plusSeconds(60));

        assertThat(run).hasValue(1);
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().completedSegments()).isZero();
        assertThat(batches().register(batch, T0)).isEqualTo(new Registered(1, true, 2));
        completeTask(job, 0, "w2");
        completeTask(job, 1, "w2");
        assertThat(batches().register(batch, T0)).isEqualTo(new Registered(1, false, 0));
        assertThat(batchMessages(job.jobId())).extracting(Outbox.Message::messageId).containsExactlyInAnyOrder(
                "batch-completed:" + job.jobId() + ":0:1", "batch-completed:" + job.jobId() + ":1:1");
        var status = jobs().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.completedSegments()).isEqualTo(2);
        assertThat(status.state()).isEqualTo(JobState.COMPLETED);
        assertThat(batches().batchesOf(job.jobId())).containsExactly(batch);
    }

    @Test
    public void aBatchReprocessedAfterItsAnnouncementWentOutIsAnnouncedAgainUnderItsOwnId() {
        NewJob job = created(aJob().withTasks(2));
        batches().register(batchOf(job, 1, 0, 2, "PRODUCTION"), T0);
        completeTask(job, 0, "w1");
        completions().fail(claim(job, 1, "w1", T0), "bad data", true, 3, T0);
        Outbox.Message first = batchMessages(job.jobId()).get(0);
        stores().outbox().markSent(first, "contract", T0.plusSeconds(1));

        recovery().reprocessJob(job.jobId(), true, T0.plusSeconds(5));
        assertThat(batchMessages(job.jobId())).as("not announced again before it ends again").isEmpty();
        Lease again = assertClaimed(claims().claim(key(job, 1), null, "w2", T0.plusSeconds(6), LEASE)).task().lease();
        completions().complete(again, result("M2"), T0.plusSeconds(7));
        List<Outbox.Message> second = batchMessages(job.jobId());

        assertThat(first.messageId()).as("the first announcement keeps its id")
                .isEqualTo("batch-completed:" + job.jobId() + ":0:1");
        assertThat(second).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isNotEqualTo(first.messageId()).isEqualTo(first.messageId() + ":a2");
            assertThat(m.body()).contains("\"status\":\"COMPLETED\"", "\"completed_segments\":2",
                    "\"failed_segments\":0");
        });
        assertThat(batchMessages(job.jobId())).as("stable across retries").extracting(Outbox.Message::messageId)
                .containsExactly(second.get(0).messageId());
        assertThat(completionMessages(job.jobId())).as("a batched job gets no job message").isEmpty();
    }

    @Test
    public void aBatchReprocessedBeforeItsAnnouncementWentOutIsAnnouncedOnceWhenItEndsAgain() {
        NewJob job = created(aJob().withTasks(2));
        batches().register(batchOf(job, 1, 0, 2, "PRODUCTION"), T0);
        completeTask(job, 0, "w1");
        completions().fail(claim(job, 1, "w1", T0), "bad data", true, 3, T0);

        recovery().reprocessJob(job.jobId(), true, T0.plusSeconds(5));
        Lease again = assertClaimed(claims().claim(key(job, 1), null, "w2", T0.plusSeconds(6), LEASE)).task().lease();
        completions().complete(again, result("M2"), T0.plusSeconds(7));

        // the unsent FAILED announcement is superseded: the consumer hears only the batch's last outcome
        assertThat(batchMessages(job.jobId())).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo("batch-completed:" + job.jobId() + ":0:1");
            assertThat(m.body()).contains("\"status\":\"COMPLETED\"", "\"failed_segments\":0");
        });
    }

    @Test
    void aResetOfAnUnknownJobChangesNothing() {
        assertThat(jobs().resetJob(JobId.random(), List.of(), T0)).isEmpty();
    }

    @Test
    void aResetMakesTheTasksTheJobLacks() {
        NewJob job = created(aJob().withTasks(1));
        List<NewTask> more = List.of(job.tasks().get(0), new NewTask("extra", Span.of(50, 60)));

        jobs().resetJob(job.jobId(), more, T0);

        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().totalSegments()).isEqualTo(2);
        assertThat(reads().task(new TaskKey(job.jobId(), "extra")).orElseThrow().span()).isEqualTo(Span.of(50, 60));
    }

    // ------------------------------------------------------------------------- set forms

    private List<Lease> claimAllFor(Batch batch, String owner) {
        List<ClaimResult> results = claims().claimAll(batch.segmentIds().stream()
                .map(id -> new ClaimRequest(new TaskKey(batch.jobId(), id), Span.of(0, 10), batch.manifestationId()))
                .toList(), owner, T0, LEASE);
        return results.stream().map(r -> assertClaimed(r).task().lease()).toList();
    }

    @Test
    public void batchesWhoseLastSegmentsEndInOneSetAreEachAnnouncedOnceWithTheirCounts() {
        NewJob job = created(aJob().withTasks(6));
        Batch first = batchOf(job, 1, 0, 3, "PRODUCTION");
        Batch second = batchOf(job, 2, 3, 5, "PRODUCTION");
        Batch overlapping = batchOf(job, 3, 2, 4, "PRODUCTION");
        Batch quiet = batchOf(job, 4, 5, 6, null);
        for (Batch batch : List.of(first, second, overlapping, quiet)) {
            batches().register(batch, T0);
        }
        List<Lease> leases = claimAllFor(batchOf(job, null, 0, 6, null), "w1");
        completions().endAll(List.of(Ending.success(leases.get(0), result("M2"))), 3, T0);
        assertThat(batchMessages(job.jobId())).isEmpty();

        completions().endAll(List.of(
                Ending.failure(leases.get(1), "bad data", true),
                Ending.success(leases.get(2), result("M2")),
                Ending.success(leases.get(3), result("M2")),
                Ending.failure(leases.get(4), "timeout", false)), 3, T0);

        // the first batch's last segments and the overlapping batch (segments 2 and 3) both ended in the set
        assertThat(batchMessages(job.jobId())).extracting(Outbox.Message::messageId).containsExactlyInAnyOrder(
                "batch-completed:" + job.jobId() + ":0:1", "batch-completed:" + job.jobId() + ":0:3");
        assertThat(batchMessages(job.jobId())).filteredOn(m -> m.messageId().endsWith(":1")).singleElement()
                .satisfies(m -> assertThat(m.body()).contains("\"status\":\"FAILED\"", "\"completed_segments\":2",
                        "\"failed_segments\":1"));
        Lease retried = assertClaimed(claims().claim(key(job, 4), null, "w1", T0.plusSeconds(1), LEASE)).task().lease();
        assertThat(batchMessages(job.jobId())).filteredOn(m -> m.messageId().endsWith(":3")).singleElement()
                .satisfies(m -> assertThat(m.body()).contains("\"status\":\"COMPLETED\"", "\"completed_segments\":2",
                        "\"failed_segments\":0"));

        completions().endAll(List.of(Ending.success(retried, result("M2")), Ending.success(leases.get(5), result("M2"))), 3,
                T0.plusSeconds(2));

        assertThat(batchMessages(job.jobId())).extracting(Outbox.Message::messageId).containsExactlyInAnyOrder(
                "batch-completed:" + job.jobId() + ":0:1", "batch-completed:" + job.jobId() + ":0:2",
                "batch-completed:" + job.jobId() + ":0:3");
        assertThat(completionMessages(job.jobId())).as("a batched job gets no job message").isEmpty();
        var status = jobs().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.FAILED);
        assertThat(status.completedSegments()).isEqualTo(5);
        assertThat(status.failedSegments()).isEqualTo(1);
        assertThat(batches().register(first, T0)).isEqualTo(new Registered(0, false, 0));
    }

    @Test
    public void tasksMadeByASetClaimAreCountedInTheirBatch() {
        NewJob job = created(aJob().withTasks(1));
        Batch batch = new Batch(job.jobId(), job.manifestationId(), 1, 3, List.of("new-a", "new-b", JobTestData.segmentId(0)),
                null, "PRODUCTION");
        batches().register(batch, T0);

        List<Lease> leases = claimAllFor(batch, "w1");
        completions().endAll(leases.stream().map(l -> Ending.success(l, result("M2"))).toList(), 3, T0);

        assertThat(batchMessages(job.jobId())).singleElement().satisfies(m -> assertThat(m.body())
                .contains("\"segment_ids\":[\"new-a\",\"new-b\",\"" + JobTestData.segmentId(0) + "\"]",
                        "\"completed_segments\":3"));
        assertThat(reads().task(new TaskKey(job.jobId(), "new-b")).orElseThrow().span()).isEqualTo(Span.of(0, 10));
    }
}
