package dev.segrel.core;

import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.usecase.UseCases;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Entry point for using segrel as a plain library, without a DI container.
 *
 * <pre>{@code
 * FindRelatedSegments relations = SegmentRelations.over(myGraph);
 * List<Mapping> mappings = relations.mappings(FindRelatedSegments.Query.of("M1", 0, 100));
 * }</pre>
 *
 * Any {@link AlignmentGraph} works: the Neo4j adapter, an in-memory one, or the caller's own.
 */
public final class SegmentRelations {

    private SegmentRelations() {}

    /** The related-segments use case over the given graph. Thread-safe; create it once and share it. */
    public static FindRelatedSegments over(AlignmentGraph graph) {
        return UseCases.findRelatedSegments(graph);
    }

    /**
     * The worker's task-processing use case: claim as a lease of {@code leaseFor}, compute, store
     * fenced, retry transient faults with {@code retry}'s backoff. Thread-safe; one per worker.
     */
    public static ProcessTask processTask(TaskStore store, AlignmentGraph graph, RetryPolicy retry, Duration leaseFor,
            Clock clock) {
        return UseCases.processTask(store, graph, retry, leaseFor, clock, RandomGenerator.getDefault());
    }

    /** As {@link #processTask(TaskStore, AlignmentGraph, RetryPolicy, Duration, Clock)}, with a given jitter source (tests). */
    public static ProcessTask processTask(TaskStore store, AlignmentGraph graph, RetryPolicy retry, Duration leaseFor,
            Clock clock, RandomGenerator random) {
        return UseCases.processTask(store, graph, retry, leaseFor, clock, random);
    }
}
