package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.HandleTaskMessage.Handled;
import dev.segrel.core.port.in.HandleTaskMessage.Message;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryRejectedMessages;
import dev.segrel.testkit.store.InMemoryTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The deployed (current) pipeline through the worker's use case: batch messages for a job row
 * without task rows, their environments, one completion message per batch, runs.
 */
class DeployedBatchesTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final InMemoryTaskStore store = new InMemoryTaskStore(outbox);
    private final AlignmentGraph development = UseCaseFixtures.twoTexts().toInMemoryGraph();
    /** The production graph aligns S3 of M1 to T7 of M2. */
    private final AlignmentGraph production = UseCaseFixtures.twoTextsRealigned(3, 7).toInMemoryGraph();
    private final AlignmentGraphs graphs = new AlignmentGraphs() {
        @Override
        public AlignmentGraph graph(String environment) {
            return environment != null && environment.toUpperCase(Locale.ROOT).equals("PRODUCTION") ? production : development;
        }

        @Override
        public List<String> environments() {
            return List.of("PRODUCTION");
        }
    };
    private final ProcessTask process =
            SegmentRelations.processTask(store, store, graphs, RETRY, LEASE, clock, UseCaseFixtures.lowJitter());
    private final InMemoryRejectedMessages rejected = new InMemoryRejectedMessages();
    private final HandleTaskMessage handler =
            SegmentRelations.handleTaskMessage(process, store, rejected, RETRY, clock, UseCaseFixtures.lowJitter());
    private final JobId job = JobId.random();

    /** The current producer's job: one row with the total, no task rows. */
    private void producerJob(int total) {
        store.insertByProducer(job, "M1", total, clock.instant());
    }

    private String batch(int number, String source, String destination, int... segments) {
        List<TaskRequest> requests = IntStream.of(segments)
                .mapToObj(i -> new TaskRequest(job, "M1", "S" + i, Span.of(i * 10, i * 10 + 10)))
                .toList();
        return TaskMessage.toBatchJson(requests, number, 10, source, destination);
    }

    private Handled handle(String body) {
        return handler.handle(new Message("m-" + body.hashCode(), body, "w1"));
    }

    private List<Outbox.Message> messages() {
        return outbox.all();
    }

    private JobStatus status() {
        return store.jobStatus(job).orElseThrow();
    }

    @Test
    void batchesMakeTheirTasksAndEachIsAnnouncedOnceWhenItsSegmentsAreDone() {
        producerJob(10);

        assertThat(handle(batch(1, "DEVELOPMENT", "PRODUCTION", 0, 1, 2, 3, 4)).disposition())
                .isEqualTo(new HandleTaskMessage.Acknowledge());
        assertThat(messages()).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo("batch-completed:" + job + ":0:1");
            assertThat(m.body()).startsWith("{\"text_id\":\"M1\",\"segment_ids\":[\"S0\",\"S1\",\"S2\",\"S3\",\"S4\"],"
                    + "\"total_segments\":10,\"source_environment\":\"DEVELOPMENT\",\"destination_environment\":\"PRODUCTION\"");
        });
        assertThat(status().state()).isEqualTo(JobState.IN_PROGRESS);
        assertThat(status().completedSegments()).isEqualTo(5);

        handle(batch(2, "DEVELOPMENT", "PRODUCTION", 5, 6, 7, 8, 9));

        assertThat(messages()).hasSize(2);
        assertThat(status().state()).isEqualTo(JobState.COMPLETED);
        assertThat(status().completedSegments()).isEqualTo(10);
        assertThat(store.task(new TaskKey(job, "S4")).orElseThrow().mappings()).isEqualTo(UseCaseFixtures.expectedFor(4));
    }

    @Test
    void theSameBatchSentTwiceIsAcknowledgedWithoutASecondMessage() {
        producerJob(2);
        String body = batch(1, "DEVELOPMENT", "PRODUCTION", 0, 1);
        handle(body);

        Handled again = handle(body);

        assertThat(again.disposition()).isEqualTo(new HandleTaskMessage.Acknowledge());
        assertThat(again.outcomes()).isNotEmpty()
                .allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.AlreadyDone.class));
        assertThat(messages()).hasSize(1);
        assertThat(status().completedSegments()).isEqualTo(2);
    }

    @Test
    void theSourceEnvironmentSelectsTheGraph() {
        producerJob(2);

        handle(batch(1, "production", "PRODUCTION", 3));
        handle(batch(2, "DEVELOPMENT", "PRODUCTION", 4));

        assertThat(store.task(new TaskKey(job, "S3")).orElseThrow().mappings())
                .isEqualTo(List.of(new Mapping("M2", List.of(dev.segrel.core.domain.Segment.of("T7", 70, 80)))));
        assertThat(store.task(new TaskKey(job, "S4")).orElseThrow().mappings()).isEqualTo(UseCaseFixtures.expectedFor(4));
    }

    @Test
    void aResubmittedTextIsComputedAndAnnouncedAgainOncePerRun() {
        producerJob(2);
        String body = batch(1, "DEVELOPMENT", "PRODUCTION", 0, 1);
        handle(body);

        store.resetByProducer(job, 2, clock.instant());
        handle(body);
        handle(body);

        assertThat(messages()).extracting(Outbox.Message::messageId)
                .containsExactly("batch-completed:" + job + ":0:1", "batch-completed:" + job + ":1:1");
        assertThat(status().completedSegments()).isEqualTo(2);
        assertThat(status().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void reprocessingABatchedJobSendsItsBatchesAgainAndItsNewRunAnnouncesEach() {
        producerJob(3);
        handle(batch(1, "PRODUCTION", "PRODUCTION", 0, 1));
        handle(batch(2, "PRODUCTION", "PRODUCTION", 2));
        InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, LEASE);
        var reprocess = SegmentRelations.reprocessTasks(store, store, store, store, () -> queue,
                () -> SegmentRelations.over(production), () -> process, clock);

        reprocess.job(job, false, false, changed -> { });
        List<String> bodies = UseCaseFixtures.drainBodies(queue);
        bodies.forEach(this::handle);

        assertThat(bodies).hasSize(2).allSatisfy(b -> assertThat(b).contains("\"source_environment\":\"PRODUCTION\""));
        assertThat(messages()).extracting(Outbox.Message::messageId).containsExactlyInAnyOrder(
                "batch-completed:" + job + ":0:1", "batch-completed:" + job + ":0:2",
                "batch-completed:" + job + ":1:1", "batch-completed:" + job + ":1:2");
        assertThat(status().completedSegments()).isEqualTo(3);
        assertThat(status().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void theSweeperSendsAStrandedTaskOfABatchToTheGraphOfItsEnvironment() {
        producerJob(1);
        store.register(new dev.segrel.core.domain.Batch(job, "M1", 1, 1, List.of("S3"), "PRODUCTION", "PRODUCTION"),
                clock.instant());
        store.create(new TaskKey(job, "S3"), "M1", Span.of(30, 40), clock.instant());
        InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, LEASE);
        var sweeper = SegmentRelations.sweepStranded(store, store, store, queue, queue, development, clock,
                new dev.segrel.core.port.in.SweepStranded.Limits(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(10));

        sweeper.sweepOnce();
        List<String> bodies = UseCaseFixtures.drainBodies(queue);
        bodies.forEach(this::handle);

        assertThat(bodies).singleElement().satisfies(b -> assertThat(b).contains("\"source_environment\":\"PRODUCTION\""));
        assertThat(store.task(new TaskKey(job, "S3")).orElseThrow().mappings())
                .isEqualTo(List.of(new Mapping("M2", List.of(dev.segrel.core.domain.Segment.of("T7", 70, 80)))));
        assertThat(messages()).singleElement().satisfies(m -> assertThat(m.messageId()).endsWith(":0:1"));
    }

    @Test
    void aBatchForAJobThatDoesNotExistIsDeadLetteredWithItsReason() {
        Handled handled = handle(batch(1, "DEVELOPMENT", "PRODUCTION", 0, 1));

        assertThat(handled.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class,
                d -> assertThat(d.reason()).isEqualTo("unknown job: no job " + job + " for its 2 segments"));
        assertThat(rejected.all()).hasSize(1);
        assertThat(messages()).isEmpty();
    }

    @Test
    void segmentsThatAreNotTheTextsMakeNoTaskAndARefusedBatchIsOneShortLine() {
        producerJob(10);
        List<TaskRequest> requests = IntStream.range(0, 500)
                .mapToObj(i -> new TaskRequest(job, "M1", i < 2 ? "S" + i : "invented-" + i, Span.of(0, 10)))
                .toList();

        Handled handled = handle(TaskMessage.toBatchJson(requests, 1, 10, "DEVELOPMENT", "PRODUCTION"));

        String reason = ((HandleTaskMessage.DeadLetter) handled.disposition()).reason();
        assertThat(reason).startsWith("498 of 500 segments refused: ").contains("invented-2", "invented-4")
                .doesNotContain("invented-5").endsWith("; and 495 more").hasSizeLessThan(1_000);
        assertThat(store.task(new TaskKey(job, "invented-2"))).isEmpty();
        assertThat(store.task(new TaskKey(job, "S1"))).isPresent();
        assertThat(messages()).isEmpty();
    }

    @Test
    void aBatchNamingAnotherTextOfTheJobIsRefused() {
        producerJob(2);
        String body = batch(1, "DEVELOPMENT", "PRODUCTION", 0).replace("\"text_id\":\"M1\"", "\"text_id\":\"M2\"");

        Handled handled = handle(body);

        assertThat(handled.disposition()).isInstanceOfSatisfying(HandleTaskMessage.DeadLetter.class,
                d -> assertThat(d.reason()).contains("is a job of M1, not of text_id M2"));
    }
}
