package dev.segrel.testkit.graph;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.out.AlignmentGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link AlignmentGraph} over plain maps, built from a {@link GraphFixture}. Immutable, so
 * thread-safe. Trusted because it passes {@link AlignmentGraphContract}, like the Neo4j adapter.
 */
public final class InMemoryAlignmentGraph implements AlignmentGraph {

    private final Set<String> manifestations;
    private final Map<String, List<GraphFixture.Annotation>> annotationsOf = new LinkedHashMap<>();
    private final Map<String, GraphFixture.Annotation> annotations = new LinkedHashMap<>();
    private final Map<String, Set<String>> alignedAnnotations = new LinkedHashMap<>();
    private final Map<String, Set<String>> alignedSegments = new LinkedHashMap<>();
    private final Map<String, Segment> segments = new LinkedHashMap<>();

    private InMemoryAlignmentGraph(GraphFixture f) {
        manifestations = Set.copyOf(f.manifestations().keySet());
        for (GraphFixture.Annotation a : f.annotations()) {
            annotations.put(a.id(), a);
            annotationsOf.computeIfAbsent(a.manifestationId(), k -> new ArrayList<>()).add(a);
            for (Segment s : a.segments()) {
                segments.put(s.id(), s);
            }
        }
        // ALIGNED_TO has no direction: index both ways, links to unknown nodes dropped as a MATCH would
        for (GraphFixture.Link l : f.annotationLinks()) {
            if (annotations.containsKey(l.from()) && annotations.containsKey(l.to())) {
                link(alignedAnnotations, l);
            }
        }
        for (GraphFixture.Link l : f.segmentLinks()) {
            if (segments.containsKey(l.from()) && segments.containsKey(l.to())) {
                link(alignedSegments, l);
            }
        }
    }

    public static InMemoryAlignmentGraph of(GraphFixture fixture) {
        return new InMemoryAlignmentGraph(requireNonNull(fixture, "fixture is null"));
    }

    @Override
    public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
        requireNonNull(probes, "probes is null");
        List<List<AlignedPair>> out = new ArrayList<>(probes.size());
        for (Probe p : probes) {
            List<AlignedPair> pairs = new ArrayList<>();
            for (GraphFixture.Annotation a : annotationsOf(p.manifestationId(), GraphFixture.Type.ALIGNMENT)) {
                List<Segment> linked = linkedSegments(a, p);
                for (String bId : alignedAnnotations.getOrDefault(a.id(), Set.of())) {
                    GraphFixture.Annotation b = annotations.get(bId);
                    pairs.add(new AlignedPair(a.id(), b.id(), b.manifestationId(), linked));
                }
            }
            out.add(pairs);
        }
        return out;
    }

    @Override
    public List<List<Segment>> segmentationSegments(List<Probe> probes) {
        requireNonNull(probes, "probes is null");
        List<List<Segment>> out = new ArrayList<>(probes.size());
        for (Probe p : probes) {
            List<Segment> found = new ArrayList<>();
            for (GraphFixture.Annotation a : annotationsOf(p.manifestationId(), GraphFixture.Type.SEGMENTATION)) {
                for (Segment s : a.segments()) {
                    if (p.span().overlaps(s.span())) {
                        found.add(s);
                    }
                }
            }
            out.add(found);
        }
        return out;
    }

    @Override
    public boolean manifestationExists(String manifestationId) {
        return manifestations.contains(requireNonNull(manifestationId, "manifestationId is null"));
    }

    @Override
    public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
        requireNonNull(manifestationId, "manifestationId is null");
        requireNonNull(source, "source is null");
        GraphFixture.Type type = source == SegmentSource.SEGMENTATION ? GraphFixture.Type.SEGMENTATION : GraphFixture.Type.PAGINATION;
        Map<String, Segment> found = new LinkedHashMap<>();
        for (GraphFixture.Annotation a : annotationsOf(manifestationId, type)) {
            a.segments().forEach(s -> found.putIfAbsent(s.id(), s));
        }
        List<Segment> out = new ArrayList<>(found.values());
        out.sort(Segment.BY_START_THEN_ID);
        return List.copyOf(out);
    }

    private List<Segment> linkedSegments(GraphFixture.Annotation a, Probe p) {
        Set<String> ids = new LinkedHashSet<>();
        for (Segment s : a.segments()) {
            if (p.span().overlaps(s.span())) {
                ids.addAll(alignedSegments.getOrDefault(s.id(), Set.of()));
            }
        }
        List<Segment> out = new ArrayList<>(ids.size());
        ids.forEach(id -> out.add(segments.get(id)));
        return out;
    }

    private List<GraphFixture.Annotation> annotationsOf(String manifestationId, GraphFixture.Type type) {
        return annotationsOf.getOrDefault(manifestationId, List.of()).stream().filter(a -> a.type() == type).toList();
    }

    private static void link(Map<String, Set<String>> adjacency, GraphFixture.Link l) {
        adjacency.computeIfAbsent(l.from(), k -> new LinkedHashSet<>()).add(l.to());
        adjacency.computeIfAbsent(l.to(), k -> new LinkedHashSet<>()).add(l.from());
    }
}
