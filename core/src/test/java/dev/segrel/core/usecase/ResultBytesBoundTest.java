package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.trace.RecordingTracing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The bytes of results a worker holds at once are bounded: a set whose next result does not fit stores
 * what it holds first, a set holding nothing waits, and a result larger than the whole budget still goes
 * through. Every result is stored exactly once, and concurrent sets never deadlock.
 */
class ResultBytesBoundTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final InMemoryTaskStore store = new InMemoryTaskStore(outbox);
    private final RecordingTracing tracing = new RecordingTracing();

    private ProcessTask process(ResultBytes bytes, int maxResults) {
        return new ProcessTaskService(store, store, AlignmentGraphs.of(UseCaseFixtures.twoTexts().toInMemoryGraph()),
                RETRY, LEASE, clock, UseCaseFixtures.lowJitter(), maxResults, bytes, tracing);
    }

    private List<Command> setOfTen(JobId job) {
        store.insertByProducer(job, "M1", 10, clock.instant());
        return IntStream.range(0, 10)
                .mapToObj(i -> new Command(new TaskKey(job, "S" + i), Span.of(i * 10, i * 10 + 10), "w1", "M1", null))
                .toList();
    }

    /** The size the budget counts for S{@code i}'s result. */
    private static long sizeOf(int i) {
        Lease lease = new Lease(java.util.UUID.randomUUID(), new TaskKey(JobId.random(), "S" + i), "w1", 1,
                Instant.EPOCH.plusSeconds(60));
        return ResultBytes.sizeOf(Ending.success(lease, UseCaseFixtures.expectedFor(i)));
    }

    private List<Long> storedChunks() {
        return tracing.named("store").stream().map(s -> (Long) s.attributes().get("segrel.tasks")).toList();
    }

    private void assertEveryResultStoredOnce(JobId job) {
        for (int i = 0; i < 10; i++) {
            TaskDetail task = store.task(new TaskKey(job, "S" + i)).orElseThrow();
            assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(task.attempts()).isEqualTo(1);
            assertThat(task.mappings()).isEqualTo(UseCaseFixtures.expectedFor(i));
        }
        assertThat(store.jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(store.jobStatus(job).orElseThrow().completedSegments()).isEqualTo(10);
    }

    @Test
    void aBudgetRoomyEnoughStoresTheSetInOneChunk() {
        ResultBytes bytes = new ResultBytes(10 * sizeOf(9));
        JobId job = JobId.random();

        List<ProcessTask.Outcome> outcomes = process(bytes, 100).processAll(setOfTen(job));

        assertThat(outcomes).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.Done.class));
        assertThat(storedChunks()).containsExactly(10L);
        assertThat(bytes.held()).isZero();
    }

    @Test
    void aBudgetSmallerThanTwoResultsStoresThePartInSmallerChunksEachResultOnce() {
        long largest = IntStream.range(0, 10).mapToLong(ResultBytesBoundTest::sizeOf).max().orElseThrow();
        ResultBytes bytes = new ResultBytes(largest + largest / 2);
        JobId job = JobId.random();

        List<ProcessTask.Outcome> outcomes = process(bytes, 100).processAll(setOfTen(job));

        assertThat(outcomes).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.Done.class));
        assertThat(storedChunks()).hasSize(10).containsOnly(1L);
        assertEveryResultStoredOnce(job);
        assertThat(outbox.all()).hasSize(1);
        assertThat(bytes.peak()).isPositive().isLessThanOrEqualTo(bytes.size());
        assertThat(bytes.held()).isZero();
    }

    @Test
    void aResultLargerThanTheWholeBudgetStillGoesThrough() {
        ResultBytes bytes = new ResultBytes(1);
        JobId job = JobId.random();

        List<ProcessTask.Outcome> outcomes = process(bytes, 100).processAll(setOfTen(job));

        assertThat(outcomes).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.Done.class));
        assertThat(storedChunks()).hasSize(10).containsOnly(1L);
        assertEveryResultStoredOnce(job);
        assertThat(bytes.peak()).isEqualTo(1);
    }

    @Test
    void manyConcurrentSetsWithATinyBudgetAllFinishAndNeverHoldMoreThanIt() throws Exception {
        ResultBytes bytes = new ResultBytes(2 * sizeOf(0));
        ProcessTask process = process(bytes, 4);
        List<JobId> jobs = new ArrayList<>();
        List<CompletableFuture<List<ProcessTask.Outcome>>> sets = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            for (int s = 0; s < 32; s++) {
                JobId job = JobId.random();
                jobs.add(job);
                List<Command> set = setOfTen(job);
                sets.add(CompletableFuture.supplyAsync(() -> process.processAll(set), threads));
            }
            // a deadlock guard, not a timing target: a deadlocked budget never gets here
            CompletableFuture.allOf(sets.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }

        for (CompletableFuture<List<ProcessTask.Outcome>> set : sets) {
            assertThat(set.join()).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.Done.class));
        }
        jobs.forEach(this::assertEveryResultStoredOnce);
        assertThat(outbox.all()).hasSize(32);
        assertThat(bytes.peak()).isPositive().isLessThanOrEqualTo(bytes.size());
        assertThat(bytes.held()).isZero();
    }
}
