package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.HandleTaskMessage.Handled;
import dev.segrel.core.port.in.HandleTaskMessage.Message;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryRejectedMessages;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandleTaskMessageTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));
    /** The first backoff with the low jitter: half of the 2 s base. */
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final UseCaseFixtures.FlakyGraph graph =
            new UseCaseFixtures.FlakyGraph(UseCaseFixtures.twoTexts().toInMemoryGraph());
    private final ProcessTask process = SegmentRelations.processTask(
            store, store, graph.graph(), RETRY, LEASE, clock, UseCaseFixtures.lowJitter());
    private final InMemoryRejectedMessages rejected = new InMemoryRejectedMessages();
    private final HandleTaskMessage handler = handlerRecordingIn(rejected);
    private final JobId job = JobId.random();

    @BeforeEach
    void createJob() {
        store.createJob(JobTestData.aJob().withId(job).withManifestation("M1").withTasks(3).build(), clock.instant());
    }

    private HandleTaskMessage handlerRecordingIn(RejectedMessages records) {
        return SegmentRelations.handleTaskMessage(process, store, records, RETRY, clock, UseCaseFixtures.lowJitter());
    }

    private static Message message(String body) {
        return new Message("msg-1", body, "w1");
    }

    /** A single-format body for a segment of the job, without a span (the stored one is used). */
    private String single(String segment) {
        return TaskMessage.toSingleJson(new TaskRequest(job, "M1", segment, null));
    }

    private String batch(String... segments) {
        List<TaskRequest> requests = Arrays.stream(segments).map(s -> new TaskRequest(job, "M1", s, null)).toList();
        return TaskMessage.toBatchJson(requests, 1, 3);
    }

    private TaskState stateOf(String segment) {
        return store.task(new TaskKey(job, segment)).orElseThrow().state();
    }

    @Test
    void aPoisonBodyIsDeadLetteredAsPoisonAndRecordedOnce() {
        Handled handled = handler.handle(message("{not json"));

        assertThat(handled.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class, d -> {
            assertThat(d.poison()).isTrue();
            assertThat(d.reason()).startsWith("poison message: not JSON");
        });
        assertThat(handled.outcomes()).isEmpty();
        String reason = ((HandleTaskMessage.DeadLetter) handled.disposition()).reason();
        assertThat(rejected.all()).containsExactly(
                new InMemoryRejectedMessages.Rejection("msg-1", "{not json", reason, clock.instant()));
    }

    @Test
    void aMessageForAnUnknownTaskIsDeadLetteredAndRecorded() {
        Handled handled = handler.handle(message(single("S9")));

        assertThat(handled.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class, d -> {
            assertThat(d.poison()).isFalse();
            assertThat(d.reason()).contains(job + "/S9", "unknown task");
        });
        assertThat(handled.outcomes()).singleElement().isInstanceOf(ProcessTask.Rejected.class);
        assertThat(rejected.all()).singleElement().satisfies(r -> assertThat(r.messageId()).isEqualTo("msg-1"));
    }

    @Test
    void aMessageWhoseTasksAreAllDoneIsAcknowledged() {
        Handled handled = handler.handle(message(batch("S0", "S1")));

        assertThat(handled.disposition()).isEqualTo(new HandleTaskMessage.Acknowledge());
        assertThat(handled.outcomes()).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.Done.class));
        assertThat(stateOf("S0")).isEqualTo(TaskState.COMPLETED);
        assertThat(stateOf("S1")).isEqualTo(TaskState.COMPLETED);
        assertThat(rejected.all()).isEmpty();
    }

    @Test
    void aTransientGraphFaultMakesTheMessageComeBackAfterTheBackoff() {
        graph.failNext(1);

        Handled handled = handler.handle(message(single("S0")));

        assertThat(handled.disposition()).isEqualTo(new HandleTaskMessage.RetryAfter(FIRST_BACKOFF));
        assertThat(stateOf("S0")).isEqualTo(TaskState.RETRYING);
        assertThat(rejected.all()).isEmpty();
    }

    @Test
    void aMessageWhoseTaskIsAlreadyCompletedIsAcknowledgedAsANoOp() {
        handler.handle(message(single("S0")));

        Handled again = handler.handle(message(single("S0")));

        assertThat(again.disposition()).isEqualTo(new HandleTaskMessage.Acknowledge());
        assertThat(again.outcomes()).singleElement().isInstanceOf(ProcessTask.AlreadyDone.class);
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(1);
    }

    @Test
    void aTaskFailedForGoodDeadLettersItsMessageWithTheFailure() {
        JobId orphan = JobId.random();
        store.createJob(JobTestData.aJob().withId(orphan).withManifestation("NOPE").build(), clock.instant());

        Handled handled = handler.handle(message(
                TaskMessage.toSingleJson(new TaskRequest(orphan, "NOPE", "S0", null))));

        assertThat(handled.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class,
                d -> assertThat(d.reason()).contains("manifestation NOPE is not in the graph"));
        assertThat(rejected.all()).hasSize(1);
    }

    @Test
    void aStoreThatCannotRecordARefusalGetsTheMessageBackLaterAndNothingIsDeadLettered() {
        HandleTaskMessage withStoreDown = handlerRecordingIn((id, body, reason, at) -> {
            throw new StoreUnavailableException("rejected_message table unreachable", null);
        });

        Handled poison = withStoreDown.handle(message("{not json"));
        Handled unknown = withStoreDown.handle(message(single("S9")));

        assertThat(poison.disposition()).isEqualTo(new HandleTaskMessage.RetryAfter(FIRST_BACKOFF));
        assertThat(unknown.disposition()).isEqualTo(new HandleTaskMessage.RetryAfter(FIRST_BACKOFF));
    }

    @Test
    void inABatchWithMixedOutcomesARetryWinsOverRefusals() {
        UseCaseFixtures.claim(store, new TaskKey(job, "S1"), "w-other", clock.instant(), LEASE);

        Handled handled = handler.handle(message(batch("S0", "S1", "S9")));

        assertThat(handled.disposition()).isEqualTo(new HandleTaskMessage.RetryAfter(LEASE.plusMillis(250)));
        assertThat(handled.outcomes()).extracting(o -> o.getClass().getSimpleName())
                .containsExactly("Done", "RetryLater", "Rejected");
        assertThat(stateOf("S0")).isEqualTo(TaskState.COMPLETED);
        assertThat(rejected.all()).as("recorded once the message is dead-lettered, not before").isEmpty();
    }

    @Test
    void inABatchTheEarliestRetryWins() {
        UseCaseFixtures.claim(store, new TaskKey(job, "S1"), "w-other", clock.instant(), LEASE);
        graph.failNext(1);

        Handled handled = handler.handle(message(batch("S0", "S1")));

        assertThat(handled.disposition()).isEqualTo(new HandleTaskMessage.RetryAfter(FIRST_BACKOFF));
    }

    @Test
    void aBatchWithDoneAndRefusedTasksIsDeadLetteredNamingOnlyTheRefusedOnes() {
        Handled handled = handler.handle(message(batch("S0", "S9")));

        assertThat(handled.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class, d -> assertThat(
                d.reason()).contains(job + "/S9").doesNotContain(job + "/S0"));
        assertThat(stateOf("S0")).isEqualTo(TaskState.COMPLETED);
        assertThat(rejected.all()).hasSize(1);
    }

    @Test
    void aRetryLaterThanTheQueuesLongestVisibilityIsClampedToIt() {
        UseCaseFixtures.claim(store, new TaskKey(job, "S0"), "w-other", clock.instant(), Duration.ofHours(13));

        Handled handled = handler.handle(message(single("S0")));

        assertThat(handled.disposition()).isEqualTo(new HandleTaskMessage.RetryAfter(TaskQueue.MAX_VISIBILITY));
    }

    private String batchOf(String environment, JobId of, String manifestation, String... segments) {
        List<TaskRequest> requests = Arrays.stream(segments).map(s -> new TaskRequest(of, manifestation, s, null))
                .toList();
        return TaskMessage.toBatchJson(requests, 1, segments.length, environment, null);
    }

    @Test
    void eachDispositionOfABatchMessageCarriesTheEnvironmentItNamedAsSent() {
        JobId orphan = JobId.random();
        store.createJob(JobTestData.aJob().withId(orphan).withManifestation("NOPE").build(), clock.instant());

        Handled done = handler.handle(message(batchOf("Production", job, "M1", "S0")));
        Handled failed = handler.handle(message(batchOf("STAGING", orphan, "NOPE", "S0")));
        Handled unknownJob = handler.handle(message(batchOf("QA", JobId.random(), "M1", "S0")));

        assertThat(done.disposition()).isEqualTo(new HandleTaskMessage.Acknowledge());
        assertThat(done.environment()).isEqualTo("Production");
        assertThat(failed.disposition()).isInstanceOf(HandleTaskMessage.DeadLetter.class);
        assertThat(failed.outcomes()).singleElement().isInstanceOf(ProcessTask.Failed.class);
        assertThat(failed.environment()).isEqualTo("STAGING");
        assertThat(unknownJob.disposition()).isInstanceOf(HandleTaskMessage.DeadLetter.class);
        assertThat(unknownJob.environment()).isEqualTo("QA");
    }

    @Test
    void aSingleSegmentMessageABatchNamingNoEnvironmentAndAPoisonOneCarryNone() {
        List<Handled> handled = handler.handleAll(List.of(message(single("S0")), message(batch("S1")),
                message("{not json")));

        assertThat(handled).extracting(Handled::environment).containsExactly(null, null, null);
        assertThat(handled.get(0).disposition()).isEqualTo(new HandleTaskMessage.Acknowledge());
        assertThat(handled.get(1).disposition()).isEqualTo(new HandleTaskMessage.Acknowledge());
    }

    /** Makes the job's segment FAILED for good, as an earlier delivery that could not compute it did. */
    private void failedEarlier(String segment) {
        var claimed = (dev.segrel.core.port.out.TaskClaims.Claimed) store.claim(
                new TaskKey(job, segment), null, "w0", clock.instant(), LEASE);
        store.fail(claimed.task().lease(), "segment is bad", true, RETRY.maxAttempts(), clock.instant());
        assertThat(stateOf(segment)).isEqualTo(TaskState.FAILED);
    }

    @Test
    void theMessageOfAFailedTaskThatComesBackBecauseMovingItFailedIsDeadLetteredAgainNotDeleted() {
        failedEarlier("S0");

        Handled redelivered = handler.handle(message(single("S0")));

        assertThat(redelivered.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class,
                d -> assertThat(d.reason()).contains(job + "/S0", "already failed", "segment is bad"));
        assertThat(rejected.all()).singleElement().satisfies(r -> assertThat(r.messageId()).isEqualTo("msg-1"));
    }

    @Test
    void aBatchWithACompletedAndAFailedSegmentIsDeadLetteredNamingTheFailedOneAndKeepsTheCompletedOne() {
        failedEarlier("S0");

        Handled handled = handler.handle(message(batch("S0", "S1")));

        assertThat(handled.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class,
                d -> assertThat(d.reason()).contains(job + "/S0").doesNotContain(job + "/S1"));
        assertThat(handled.outcomes()).extracting(o -> o.getClass().getSimpleName()).containsExactly("Rejected", "Done");
        assertThat(stateOf("S1")).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void aBatchWithARetryingSegmentComesBackFirstAndIsDeadLetteredForItsFailedOneOnceNothingIsLeftToRetry() {
        failedEarlier("S0");
        graph.failNext(1);

        Handled first = handler.handle(message(batch("S0", "S1", "S2")));
        clock.advance(Duration.ofMinutes(1));
        Handled second = handler.handle(message(batch("S0", "S1", "S2")));

        assertThat(first.disposition()).isInstanceOf(HandleTaskMessage.RetryAfter.class);
        assertThat(second.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class,
                d -> assertThat(d.reason()).contains(job + "/S0"));
        assertThat(List.of(stateOf("S0"), stateOf("S1"), stateOf("S2")))
                .containsExactly(TaskState.FAILED, TaskState.COMPLETED, TaskState.COMPLETED);
    }
}
