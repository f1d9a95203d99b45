package dev.segrel.examples;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.AlignmentGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Another JVM service using segrel's core as a plain library, with an {@link AlignmentGraph} of its
 * own (here: two texts held in maps) and no framework at all.
 */
public final class OwnGraphExample {

    /** A root text "root" aligned to its translation "tr": two segments each, linked 1:1 and 1:2. */
    static final class TwoTextGraph implements AlignmentGraph {

        private final Map<String, List<Segment>> segmentation = Map.of(
                "root", List.of(Segment.of("r1", 0, 10), Segment.of("r2", 10, 20)),
                "tr", List.of(Segment.of("t1", 0, 12), Segment.of("t2", 12, 30)));
        private final Map<String, List<Segment>> links = Map.of(
                "r1", List.of(Segment.of("ta1", 0, 12)),
                "r2", List.of(Segment.of("ta2", 12, 20), Segment.of("ta3", 20, 30)));
        private final Map<String, Segment> rootAlignment = Map.of(
                "r1", Segment.of("r1", 0, 10), "r2", Segment.of("r2", 10, 20));

        @Override
        public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
            List<List<AlignedPair>> answers = new ArrayList<>();
            for (Probe probe : probes) {
                if (!probe.manifestationId().equals("root")) {
                    answers.add(List.of());
                    continue;
                }
                List<Segment> linked = new ArrayList<>();
                rootAlignment.forEach((id, segment) -> {
                    if (segment.span().overlaps(probe.span())) {
                        linked.addAll(links.get(id));
                    }
                });
                answers.add(List.of(new AlignedPair("root-alignment", "tr-alignment", "tr", linked)));
            }
            return answers;
        }

        @Override
        public List<List<Segment>> segmentationSegments(List<Probe> probes) {
            List<List<Segment>> answers = new ArrayList<>();
            for (Probe probe : probes) {
                answers.add(segmentation.getOrDefault(probe.manifestationId(), List.of()).stream()
                        .filter(s -> s.span().overlaps(probe.span()))
                        .toList());
            }
            return answers;
        }

        @Override
        public boolean manifestationExists(String manifestationId) {
            return segmentation.containsKey(manifestationId);
        }

        @Override
        public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
            return source == SegmentSource.SEGMENTATION
                    ? segmentation.getOrDefault(manifestationId, List.of())
                    : List.of();
        }
    }

    private OwnGraphExample() {}

    /** The mappings of the second segment of "root". */
    public static List<Mapping> relatedToSecondRootSegment() {
        FindRelatedSegments relations = SegmentRelations.over(new TwoTextGraph());
        return switch (relations.find(Query.of("root", 10, 20))) {
            case FindRelatedSegments.Related related -> related.mappings();
            case FindRelatedSegments.UnknownManifestation unknown ->
                    throw new IllegalStateException("unknown manifestation " + unknown.manifestationId());
        };
    }

    public static void main(String[] args) {
        for (Mapping mapping : relatedToSecondRootSegment()) {
            for (Segment segment : mapping.segments()) {
                System.out.println(mapping.manifestationId() + " " + segment.id() + " " + segment.span());
            }
        }
    }
}
