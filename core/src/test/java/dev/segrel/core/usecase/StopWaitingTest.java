package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shutdown: a set waiting for room returns at once, unclaimed and visible again now; one computing goes on. */
class StopWaitingTest {

    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final CountDownLatch searching = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final InterceptingGraph graph = new InterceptingGraph(UseCaseFixtures.twoTexts().toInMemoryGraph(), () -> {
        searching.countDown();
        try {
            gate.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });
    private final ProcessTask process = SegmentRelations.processTask(store, store, AlignmentGraphs.of(graph), RETRY,
            Duration.ofSeconds(60), clock, UseCaseFixtures.lowJitter(), 1);
    private final JobId job = JobId.random();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private List<Command> set(int i) {
        return List.of(new Command(new TaskKey(job, "S" + i), Span.of(i * 10, i * 10 + 10), "w1", "M1", null));
    }

    @Test
    void aSetWaitingForRoomReturnsAtOnceUnclaimedWhileTheOneComputingGoesOn() throws Exception {
        store.insertByProducer(job, "M1", 3, clock.instant());
        CompletableFuture<List<ProcessTask.Outcome>> computing = CompletableFuture.supplyAsync(
                () -> process.processAll(set(0)), threads);
        assertThat(searching.await(1, TimeUnit.MINUTES)).isTrue();
        CompletableFuture<List<ProcessTask.Outcome>> waiting = CompletableFuture.supplyAsync(
                () -> process.processAll(set(1)), threads);

        process.stopWaiting();
        process.stopWaiting(); // idempotent

        assertThat(waiting.get(1, TimeUnit.MINUTES)).singleElement().isEqualTo(
                new ProcessTask.RetryLater(new TaskKey(job, "S1"), Duration.ZERO, 0, "worker stopping: not started"));
        assertThat(computing).isNotDone();
        assertThat(process.processAll(set(2))).as("nothing starts after the stop").singleElement()
                .isInstanceOf(ProcessTask.RetryLater.class);
        gate.countDown();
        assertThat(computing.get(1, TimeUnit.MINUTES)).singleElement().isInstanceOf(ProcessTask.Done.class);
        assertThat(store.task(new TaskKey(job, "S0")).map(TaskDetail::state)).contains(TaskState.COMPLETED);
        for (int i = 1; i <= 2; i++) {
            // the producer's job has no rows yet: a claim would have made one
            assertThat(store.task(new TaskKey(job, "S" + i))).as("never claimed").isEmpty();
        }
        threads.close();
    }
}
