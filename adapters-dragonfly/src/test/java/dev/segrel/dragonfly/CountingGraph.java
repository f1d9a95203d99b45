package dev.segrel.dragonfly;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.out.AlignmentGraph;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Passes calls through and counts them. */
final class CountingGraph implements AlignmentGraph {

    final AlignmentGraph graph;
    final AtomicLong calls = new AtomicLong();

    CountingGraph(AlignmentGraph graph) {
        this.graph = graph;
    }

    @Override
    public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
        calls.incrementAndGet();
        return graph.alignedSegments(probes);
    }

    @Override
    public List<List<Segment>> segmentationSegments(List<Probe> probes) {
        calls.incrementAndGet();
        return graph.segmentationSegments(probes);
    }

    @Override
    public boolean manifestationExists(String manifestationId) {
        calls.incrementAndGet();
        return graph.manifestationExists(manifestationId);
    }

    @Override
    public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
        calls.incrementAndGet();
        return graph.segmentsOf(manifestationId, source);
    }
}
