package dev.segrel.core.usecase;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.out.AlignmentGraph;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The spans the graph gives a manifestation's segments, for tasks stored without one. */
final class GraphSpans {

    private GraphSpans() {}

    /**
     * Every segment id of {@code manifestation} with its span, segmentation over pagination where both
     * name one id (results are expressed in the segmentation). An empty map is a definite answer: the
     * graph was asked and has none.
     *
     * @throws dev.segrel.core.port.out.GraphUnavailableException when the graph could not be asked
     */
    static Map<String, Span> of(AlignmentGraph graph, String manifestation) {
        Map<String, Span> spans = new HashMap<>();
        for (SegmentSource source : List.of(SegmentSource.PAGINATION, SegmentSource.SEGMENTATION)) {
            for (Segment s : graph.segmentsOf(manifestation, source)) {
                spans.put(s.id(), s.span());
            }
        }
        return spans;
    }

    /** The reason a task with no span anywhere fails with: one line, naming the segment and the manifestation. */
    static String noSpanReason(String segmentId, String manifestation) {
        return "no span: segment " + segmentId + " of manifestation " + manifestation
                + " has no span in its task row, its message or the graph";
    }
}
