package dev.segrel.core.usecase;

import static dev.segrel.testkit.graph.GraphFixture.seg;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.store.InMemoryTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/** The small canon, jitter source, faulty graph and store shortcuts the use-case tests share. */
final class UseCaseFixtures {

    /** Where the faulty graph says it is: a URI with a password that must never reach a stored error. */
    static final String GRAPH_URI_WITH_PASSWORD = "bolt://neo4j:s3cret@graph:7687";

    private UseCaseFixtures() {}

    /** M1 (segments S0..S9 of 10 chars) aligned 1:1 to M2 (T0..T9). */
    static GraphFixture twoTexts() {
        return twoTextsRealigned(0, 0);
    }

    /** {@link #twoTexts()} after an edit of the graph: segment {@code from} of M1 aligned to T{@code to} instead. */
    static GraphFixture twoTextsRealigned(int from, int to) {
        GraphFixture f = new GraphFixture().manifestation("M1").manifestation("M2");
        Segment[] m1 = new Segment[10];
        Segment[] m1a = new Segment[10];
        Segment[] m2 = new Segment[10];
        Segment[] m2a = new Segment[10];
        for (int i = 0; i < 10; i++) {
            m1[i] = seg("S" + i, i * 10, i * 10 + 10);
            m1a[i] = seg("A" + i, i * 10, i * 10 + 10);
            m2[i] = seg("T" + i, i * 10, i * 10 + 10);
            m2a[i] = seg("B" + i, i * 10, i * 10 + 10);
        }
        f.segmentation("M1", "M1-seg", m1).alignment("M1", "M1-al", m1a);
        f.segmentation("M2", "M2-seg", m2).alignment("M2", "M2-al", m2a);
        f.linkAnnotations("M1-al", "M2-al");
        for (int i = 0; i < 10; i++) {
            f.linkSegments("A" + i, "B" + (i == from ? to : i));
        }
        return f;
    }

    /** What the search gives for segment S{@code i} of M1 in {@link #twoTexts()}: T{@code i} of M2. */
    static List<Mapping> expectedFor(int i) {
        return List.of(new Mapping("M2", List.of(Segment.of("T" + i, i * 10, i * 10 + 10))));
    }

    /** A jitter source that always picks the lower end, so that backoffs are exact. */
    static RandomGenerator lowJitter() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0;
            }

            @Override
            public long nextLong(long origin, long bound) {
                return origin;
            }
        };
    }

    /** A graph that is unreachable for its next {@link #failNext} calls, failing as a driver would: URI and password included. */
    static final class FlakyGraph {

        private final AtomicInteger down = new AtomicInteger();
        private final AlignmentGraph graph;

        FlakyGraph(AlignmentGraph delegate) {
            this.graph = new InterceptingGraph(delegate, () -> {
                if (down.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new GraphUnavailableException("graph at " + GRAPH_URI_WITH_PASSWORD + " is unavailable");
                }
            });
        }

        void failNext(int calls) {
            down.set(calls);
        }

        AlignmentGraph graph() {
            return graph;
        }
    }

    /** Claims the task for {@code owner} as a worker would, or fails the test. */
    static TaskClaims.ClaimedTask claim(InMemoryTaskStore store, TaskKey key, String owner, Instant now,
            Duration leaseFor) {
        if (store.claim(key, null, owner, now, leaseFor) instanceof TaskClaims.Claimed claimed) {
            return claimed.task();
        }
        throw new AssertionError("could not claim " + key);
    }

    /** Claims and completes the task with {@code result}, as a worker would. */
    static void complete(InMemoryTaskStore store, TaskKey key, List<Mapping> result, Instant now) {
        store.complete(claim(store, key, "w-done", now, Duration.ofMinutes(1)).lease(), result, now);
    }

    /** Claims the task and fails it for good. */
    static void failForGood(InMemoryTaskStore store, TaskKey key, Instant now) {
        store.fail(claim(store, key, "w-failed", now, Duration.ofMinutes(1)).lease(), "boom", true, 1, now);
    }

    /** Receives every visible message (each becomes in flight) and parses it; the queue's clock must stand still. */
    static List<TaskRequest> drain(InMemoryTaskQueue queue) {
        return requestsOf(drainBodies(queue));
    }

    /** Receives every visible message (each becomes in flight); the queue's clock must stand still. */
    static List<String> drainBodies(InMemoryTaskQueue queue) {
        List<String> out = new ArrayList<>();
        List<TaskQueue.QueuedMessage> got;
        while (!(got = queue.receive(TaskQueue.MAX_BATCH, Duration.ZERO)).isEmpty()) {
            got.forEach(m -> out.add(m.body()));
        }
        return out;
    }

    /** The requests of task message bodies, in order; fails on a body that is not one. */
    static List<TaskRequest> requestsOf(List<String> bodies) {
        List<TaskRequest> out = new ArrayList<>();
        for (String body : bodies) {
            if (!(TaskMessage.parse(body) instanceof TaskMessage.Parsed parsed)) {
                throw new AssertionError("not a task message: " + body);
            }
            out.addAll(parsed.requests());
        }
        return out;
    }

    /** The segment ids of {@code requests}, in order. */
    static List<String> segmentIds(List<TaskRequest> requests) {
        return requests.stream().map(TaskRequest::segmentId).toList();
    }
}
