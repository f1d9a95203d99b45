package dev.segrel.core.internal;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraph.AlignedPair;
import dev.segrel.core.port.out.AlignmentGraph.Probe;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The breadth-first search of docs/architecture.md ("Reference semantics"), run one level at a time.
 *
 * <p>A FIFO queue pops every item of level {@code k} before any item of level {@code k + 1}, and
 * what the graph answers for a probe does not depend on the visited set or the used pairs (those
 * only filter). So the search asks the graph for a whole level in one batched call, then applies
 * the filters to the answers in queue order: the result is the one the item-by-item queue gives,
 * in two graph calls per level instead of several per item.
 */
public final class RelatedSegmentsSearch {

    private static final Comparator<AlignedPair> PAIR_ORDER =
            Comparator.comparing(AlignedPair::sourceAnnotationId).thenComparing(AlignedPair::targetAnnotationId);

    private final AlignmentGraph graph;

    public RelatedSegmentsSearch(AlignmentGraph graph) {
        this.graph = requireNonNull(graph, "graph is null");
    }

    public List<Mapping> search(String manifestationId, Span span, RelationMode mode) {
        requireNonNull(manifestationId, "manifestationId is null");
        requireNonNull(span, "span is null");
        requireNonNull(mode, "mode is null");

        Set<String> visited = new HashSet<>();
        visited.add(manifestationId);
        Set<PairKey> usedPairs = new HashSet<>();
        // discovery order; values are filled once the level's segmentation lookup is back
        Map<String, List<Segment>> reached = new LinkedHashMap<>();

        List<Probe> level = List.of(new Probe(manifestationId, span));
        while (!level.isEmpty()) {
            List<List<AlignedPair>> answers = graph.alignedSegments(level);
            if (answers.size() != level.size()) {
                throw new IllegalStateException(
                        "graph answered " + answers.size() + " probes for " + level.size());
            }
            List<Probe> next = new ArrayList<>();
            List<List<Segment>> nextAligned = new ArrayList<>();
            for (List<AlignedPair> pairs : answers) {
                for (AlignedPair pair : sorted(pairs)) {
                    PairKey key = new PairKey(pair.sourceAnnotationId(), pair.targetAnnotationId());
                    if (usedPairs.contains(key)) {
                        continue;
                    }
                    List<Segment> linked = distinctSorted(pair.linkedSegments());
                    if (linked.isEmpty()) {
                        continue;
                    }
                    String target = pair.targetManifestationId();
                    if (!visited.add(target)) {
                        continue;
                    }
                    usedPairs.add(key);
                    usedPairs.add(key.reversed());
                    next.add(new Probe(target, envelope(linked)));
                    nextAligned.add(linked);
                    reached.put(target, List.of());
                }
            }
            fill(reached, next, nextAligned, mode);
            level = next;
        }

        List<Mapping> mappings = new ArrayList<>(reached.size());
        reached.forEach((id, segments) -> mappings.add(new Mapping(id, segments)));
        return mappings;
    }

    private void fill(Map<String, List<Segment>> reached, List<Probe> probes, List<List<Segment>> aligned,
            RelationMode mode) {
        if (probes.isEmpty()) {
            return;
        }
        List<List<Segment>> segments = switch (mode) {
            case ALIGNMENT -> aligned;
            case SEGMENTATION -> graph.segmentationSegments(probes);
        };
        if (segments.size() != probes.size()) {
            throw new IllegalStateException("graph answered " + segments.size() + " probes for " + probes.size());
        }
        for (int i = 0; i < probes.size(); i++) {
            reached.put(probes.get(i).manifestationId(), distinctSorted(segments.get(i)));
        }
    }

    private static List<AlignedPair> sorted(List<AlignedPair> pairs) {
        if (pairs.size() < 2) {
            return pairs;
        }
        List<AlignedPair> copy = new ArrayList<>(pairs);
        copy.sort(PAIR_ORDER);
        return copy;
    }

    /** Distinct by segment id, sorted by start then id. */
    static List<Segment> distinctSorted(List<Segment> segments) {
        if (segments.isEmpty()) {
            return List.of();
        }
        Map<String, Segment> byId = new LinkedHashMap<>();
        for (Segment s : segments) {
            byId.putIfAbsent(s.id(), s);
        }
        List<Segment> out = new ArrayList<>(byId.values());
        out.sort(Segment.BY_START_THEN_ID);
        return List.copyOf(out);
    }

    private static Span envelope(List<Segment> segments) {
        return Span.covering(segments);
    }

    private record PairKey(String a, String b) {
        PairKey reversed() {
            return new PairKey(b, a);
        }
    }
}
