package dev.segrel.testkit.graph;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.port.out.SliceSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Slices computed straight from a {@link GraphFixture} by reading the graph model of docs/architecture.md (links undirected,
 * links to unknown nodes dropped), independently of any query: the in-memory {@link SliceSource},
 * trusted because it passes testkit's {@code SliceSourceContract}.
 */
public final class FixtureSliceSource implements SliceSource {

    private final GraphFixture f;
    private final Map<String, GraphFixture.Annotation> annotations = new HashMap<>();
    private final Map<String, Segment> segments = new HashMap<>();

    public FixtureSliceSource(GraphFixture f) {
        this.f = f;
        for (GraphFixture.Annotation a : f.annotations()) {
            annotations.put(a.id(), a);
            a.segments().forEach(s -> segments.put(s.id(), s));
        }
    }

    @Override
    public ManifestationSlice load(String manifestationId) {
        ManifestationSlice.Builder b = ManifestationSlice.builder(manifestationId);
        for (GraphFixture.Annotation a : f.annotations()) {
            if (!a.manifestationId().equals(manifestationId)) {
                continue;
            }
            switch (a.type()) {
                case SEGMENTATION -> a.segments().forEach(b::segmentationSegment);
                case PAGINATION -> { }
                case ALIGNMENT -> {
                    for (GraphFixture.Link l : f.annotationLinks()) {
                        String other = l.from().equals(a.id()) ? l.to() : l.to().equals(a.id()) ? l.from() : null;
                        if (other != null && annotations.containsKey(other)) {
                            b.pair(a.id(), other, annotations.get(other).manifestationId());
                        }
                    }
                    for (Segment s : a.segments()) {
                        b.alignmentSegment(a.id(), s);
                        for (GraphFixture.Link l : f.segmentLinks()) {
                            String other = l.from().equals(s.id()) ? l.to() : l.to().equals(s.id()) ? l.from() : null;
                            if (other != null && segments.containsKey(other)) {
                                b.link(a.id(), s, segments.get(other));
                            }
                        }
                    }
                }
            }
        }
        return b.build();
    }
}
