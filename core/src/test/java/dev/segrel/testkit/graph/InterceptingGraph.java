package dev.segrel.testkit.graph;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.out.AlignmentGraph;
import java.util.List;

/**
 * An {@link AlignmentGraph} that runs a hook before every call to the graph it decorates. The hook
 * counts calls, or throws (say a {@code GraphUnavailableException}) to make a call fail: tests use it
 * to count round trips, or to take a real graph away after some calls or for a while.
 */
public final class InterceptingGraph implements AlignmentGraph {

    private final AlignmentGraph delegate;
    private final Runnable beforeEachCall;

    public InterceptingGraph(AlignmentGraph delegate, Runnable beforeEachCall) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.beforeEachCall = requireNonNull(beforeEachCall, "beforeEachCall is null");
    }

    @Override
    public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
        beforeEachCall.run();
        return delegate.alignedSegments(probes);
    }

    @Override
    public List<List<Segment>> segmentationSegments(List<Probe> probes) {
        beforeEachCall.run();
        return delegate.segmentationSegments(probes);
    }

    @Override
    public boolean manifestationExists(String manifestationId) {
        beforeEachCall.run();
        return delegate.manifestationExists(manifestationId);
    }

    @Override
    public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
        beforeEachCall.run();
        return delegate.segmentsOf(manifestationId, source);
    }
}
