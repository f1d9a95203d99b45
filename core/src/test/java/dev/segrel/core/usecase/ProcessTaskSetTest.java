package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.testkit.trace.RecordingTracing;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.HandleTaskMessage.Handled;
import dev.segrel.core.port.in.HandleTaskMessage.Message;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryRejectedMessages;
import dev.segrel.testkit.store.InMemoryTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Sets: a batch message's segments, and the single-segment messages of one receive, are claimed in
 * one call and ended in one call, in parts no larger than the result budget; each segment keeps its
 * own outcome.
 */
class ProcessTaskSetTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final InMemoryTaskStore store = new InMemoryTaskStore(outbox);
    private final CountingStore counted = new CountingStore(store);
    private final JobId job = JobId.random();
    /** A search step that throws for the span of S3 while set; else the two texts' graph. */
    private volatile Runnable onSearch = () -> { };
    private final AlignmentGraph graph = new InterceptingGraph(UseCaseFixtures.twoTexts().toInMemoryGraph(),
            () -> onSearch.run());

    private ProcessTask process(int budget) {
        return SegmentRelations.processTask(counted, counted, AlignmentGraphs.of(graph), RETRY, LEASE, clock,
                UseCaseFixtures.lowJitter(), budget);
    }

    private HandleTaskMessage handler(ProcessTask process) {
        return SegmentRelations.handleTaskMessage(process, store, new InMemoryRejectedMessages(), RETRY, clock,
                UseCaseFixtures.lowJitter());
    }

    private String batchOfTen() {
        List<TaskRequest> requests = IntStream.range(0, 10)
                .mapToObj(i -> new TaskRequest(job, "M1", "S" + i, Span.of(i * 10, i * 10 + 10)))
                .toList();
        return TaskMessage.toBatchJson(requests, 1, 10, "DEVELOPMENT", "PRODUCTION");
    }

    @Test
    void aBatchMessageIsOneClaimAndOneEndWhateverItsSize() {
        store.insertByProducer(job, "M1", 10, clock.instant());

        Handled handled = handler(process(100)).handle(new Message("m1", batchOfTen(), "w1"));

        assertThat(handled.disposition()).isEqualTo(new HandleTaskMessage.Acknowledge());
        assertThat(handled.outcomes()).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.Done.class));
        assertThat(counted.claimSets).containsExactly(10);
        assertThat(counted.endSets).containsExactly(10);
        assertThat(store.jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(store.task(new TaskKey(job, "S7")).orElseThrow().mappings()).isEqualTo(UseCaseFixtures.expectedFor(7));
        assertThat(outbox.all()).singleElement().satisfies(m -> assertThat(m.messageId()).endsWith(":0:1"));
    }

    @Test
    void aSetOfTwoTracesIsOneSpanLinkedToTheSecondAndEachCompletionContinuesItsOwnTrace() {
        RecordingTracing tracing = new RecordingTracing();
        ProcessTask traced = SegmentRelations.processTask(counted, counted, AlignmentGraphs.of(graph), RETRY, LEASE,
                clock, UseCaseFixtures.lowJitter(), 100, tracing);
        JobId other = JobId.random();
        store.insertByProducer(job, "M1", 1, clock.instant());
        store.insertByProducer(other, "M1", 1, clock.instant());
        TraceContext first = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        TraceContext second = TraceContext.parse("00-11111111111111111111111111111111-2222222222222222-01", null);

        handler(traced).handleAll(List.of(
                new Message("m1", TaskMessage.toSingleJson(new TaskRequest(job, "M1", "S1", Span.of(10, 20))), "w1",
                        first),
                new Message("m2", TaskMessage.toSingleJson(new TaskRequest(other, "M1", "S2", Span.of(20, 30))), "w1",
                        second)));

        assertThat(counted.endSets).containsExactly(2);
        RecordingTracing.Recorded set = tracing.named("process").get(0);
        assertThat(set.parentSpanId()).isEqualTo(first.spanId());
        assertThat(set.links()).containsExactly(second);
        RecordingTracing.Recorded stored = tracing.named("store").get(0);
        assertThat(stored.parentSpanId()).isEqualTo(set.spanId());
        assertThat(stored.attributes()).containsEntry("segrel.jobs_finished", 2L).containsEntry("segrel.completed", 2L);
        assertThat(tracing.named("search").get(0).attributes()).containsEntry("segrel.tasks", 2L)
                .containsEntry("segrel.search.manifestations_visited", 4L);
        assertThat(tracing.named("claim").get(0).attributes()).containsEntry("segrel.claimed", 2L);
        Map<String, TraceContext> traces = new HashMap<>();
        outbox.all().forEach(m -> traces.put(m.messageId(), m.trace()));
        assertThat(traces.get("job-completed:" + job).spanId()).isEqualTo(stored.spanId());
        assertThat(traces.get("job-completed:" + other)).isEqualTo(second);
    }

    @Test
    void aSetLargerThanTheBudgetIsProcessedInPartsOfTheBudgetsSize() {
        store.insertByProducer(job, "M1", 10, clock.instant());

        handler(process(4)).handle(new Message("m1", batchOfTen(), "w1"));

        assertThat(counted.claimSets).containsExactly(4, 4, 2);
        assertThat(counted.endSets).containsExactly(4, 4, 2);
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(10);
        assertThat(outbox.all()).hasSize(1);
    }

    @Test
    void aSegmentWhoseSearchThrowsFailsAloneAndIsRecordedForItsRetry() {
        store.insertByProducer(job, "M1", 10, clock.instant());
        AtomicInteger calls = new AtomicInteger();
        ProcessTask process = process(100);
        List<ProcessTask.Command> commands = IntStream.range(0, 10)
                .mapToObj(i -> new ProcessTask.Command(new TaskKey(job, "S" + i), Span.of(i * 10, i * 10 + 10), "w1",
                        "M1", null))
                .toList();
        process.processAll(commands.subList(0, 3));
        // the first search step of the next set (the catalog and the manifestation are known by now) throws
        onSearch = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("span_start >= span_end on segment X9");
            }
        };

        List<ProcessTask.Outcome> outcomes = process.processAll(commands.subList(3, 10));

        assertThat(outcomes.get(0)).isInstanceOfSatisfying(ProcessTask.RetryLater.class,
                r -> assertThat(r.reason()).contains("unexpected error").contains("span_start >= span_end"));
        assertThat(outcomes.subList(1, 7)).allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.Done.class));
        assertThat(store.task(new TaskKey(job, "S3")).orElseThrow().state()).isEqualTo(TaskState.RETRYING);
        assertThat(store.task(new TaskKey(job, "S3")).orElseThrow().error()).contains("span_start >= span_end");
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(9);
    }

    @Test
    void theSingleSegmentMessagesOfOneReceiveAreOneSet() {
        List<Message> messages = new ArrayList<>();
        store.createJob(new dev.segrel.core.port.out.Jobs.NewJob(job, "M1", IntStream.range(0, 5)
                .mapToObj(i -> new dev.segrel.core.domain.NewTask("S" + i, Span.of(i * 10, i * 10 + 10))).toList()),
                clock.instant());
        for (int i = 0; i < 5; i++) {
            messages.add(new Message("m" + i, TaskMessage.toSingleJson(
                    new TaskRequest(job, "M1", "S" + i, Span.of(i * 10, i * 10 + 10))), "w1"));
        }
        messages.add(new Message("poison", "{not json", "w1"));

        List<Handled> handled = handler(process(100)).handleAll(messages);

        assertThat(handled).hasSize(6);
        assertThat(handled.subList(0, 5)).allSatisfy(h -> assertThat(h.disposition())
                .isEqualTo(new HandleTaskMessage.Acknowledge()));
        assertThat(handled.get(5).disposition()).isInstanceOf(HandleTaskMessage.DeadLetter.class);
        assertThat(counted.claimSets).containsExactly(5);
        assertThat(counted.endSets).containsExactly(5);
        assertThat(store.jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void theHeartbeatExtendsEveryLeaseOfASetInOneCall() {
        store.insertByProducer(job, "M1", 10, clock.instant());
        ProcessTask process = process(100);
        AtomicInteger extended = new AtomicInteger(-1);
        onSearch = () -> {
            // once the set is claimed (the catalog's reads come before the claim)
            if (extended.get() < 0 && store.jobStatus(job).orElseThrow().inProgress() > 0) {
                clock.advance(Duration.ofSeconds(20));
                extended.set(process.extendLeases(clock.instant()));
            }
        };

        handler(process).handle(new Message("m1", batchOfTen(), "w1"));

        assertThat(extended.get()).isEqualTo(10);
        assertThat(counted.extendSets).containsExactly(10);
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(10);
    }

    /** The in-memory store, counting the sizes of the set calls it gets. */
    private static final class CountingStore implements TaskClaims, TaskCompletions {

        final List<Integer> claimSets = new ArrayList<>();
        final List<Integer> endSets = new ArrayList<>();
        final List<Integer> extendSets = new ArrayList<>();
        private final InMemoryTaskStore store;

        CountingStore(InMemoryTaskStore store) {
            this.store = store;
        }

        @Override
        public synchronized List<ClaimResult> claimAll(List<ClaimRequest> requests, String owner, Instant now,
                Duration leaseFor) {
            claimSets.add(requests.size());
            return store.claimAll(requests, owner, now, leaseFor);
        }

        @Override
        public java.util.Optional<SpanlessTask> claimWithoutSpan(TaskKey key, String owner, Instant now,
                Duration leaseFor) {
            return store.claimWithoutSpan(key, owner, now, leaseFor);
        }

        @Override
        public synchronized List<EndResult> endAll(List<Ending> endings, int maxAttempts, Instant now) {
            endSets.add(endings.size());
            return store.endAll(endings, maxAttempts, now);
        }

        @Override
        public synchronized List<Lease> extendAll(Collection<Lease> leases, Instant newExpiry) {
            extendSets.add(leases.size());
            return store.extendAll(leases, newExpiry);
        }

        @Override
        public ClaimResult claim(TaskKey key, Span spanHint, String owner, Instant now, Duration leaseFor) {
            throw new AssertionError("a worker claims sets");
        }

        @Override
        public Creation create(TaskKey key, String manifestationId, Span span, Instant now) {
            return store.create(key, manifestationId, span, now);
        }

        @Override
        public boolean extend(Lease lease, Instant newExpiry) {
            throw new AssertionError("a worker extends sets");
        }

        @Override
        public boolean release(Lease lease, Instant now) {
            return store.release(lease, now);
        }

        @Override
        public CompleteResult complete(Lease lease, List<Mapping> result, Instant now) {
            throw new AssertionError("a worker ends sets");
        }

        @Override
        public FailResult fail(Lease lease, String error, boolean permanent, int maxAttempts, Instant now) {
            throw new AssertionError("a worker ends sets");
        }
    }
}
