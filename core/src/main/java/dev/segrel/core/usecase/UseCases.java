package dev.segrel.core.usecase;

import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Builds the use-case services, which are package-private. Callers outside core use
 * {@link dev.segrel.core.SegmentRelations}; this class exists so that the services stay hidden.
 */
public final class UseCases {

    private UseCases() {}

    public static FindRelatedSegments findRelatedSegments(AlignmentGraph graph) {
        return new FindRelatedSegmentsService(graph);
    }

    public static ProcessTask processTask(TaskStore store, AlignmentGraph graph, RetryPolicy retry, Duration leaseFor,
            Clock clock, RandomGenerator random) {
        return new ProcessTaskService(store, graph, retry, leaseFor, clock, random);
    }
}
