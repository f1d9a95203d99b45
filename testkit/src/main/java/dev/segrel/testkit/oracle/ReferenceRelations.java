package dev.segrel.testkit.oracle;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.testkit.graph.GraphFixture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The related-segments search written a second time, plainly, from DESIGN.md §3, for tests to
 * compare the code under test with. It shares no code with core's search: it reads the fixture's
 * raw annotations and links into its own maps and walks them with plain collections, so a fault
 * of core's BFS (a dropped level, an empty answer, a wrong order) cannot also be a fault of the
 * expected answer. Core's {@link Mapping} and {@link Segment} appear only as the output shape, so
 * answers compare with {@code equals}. Only the segmentation mode (the one jobs use). Not
 * thread-safe while built; immutable after.
 */
public final class ReferenceRelations {

    /** A segment as the oracle keeps it. */
    public record Seg(String id, int start, int end) {
        public Seg {
            requireNonNull(id, "id is null");
            if (start < 0 || start >= end) {
                throw new IllegalArgumentException("segment " + id + " has span [" + start + ", " + end + ")");
            }
        }

        boolean overlaps(int s, int e) {
            return start < e && end > s;
        }
    }

    /** One manifestation reached, with the segments of its segmentation that overlap the envelope. */
    public record Related(String manifestationId, List<Seg> segments) {
        public Related {
            requireNonNull(manifestationId, "manifestationId is null");
            segments = List.copyOf(segments);
        }
    }

    private static final Comparator<Seg> BY_START_THEN_ID =
            Comparator.comparingInt(Seg::start).thenComparing(Seg::id);

    private final Map<String, String> manifestationOf = new HashMap<>(); // annotation -> manifestation
    private final Map<String, List<String>> alignmentsOf = new HashMap<>(); // manifestation -> alignment annotations
    private final Map<String, List<Seg>> segmentationOf = new HashMap<>(); // manifestation -> segmentation segments
    private final Map<String, List<Seg>> segmentsOf = new HashMap<>(); // annotation -> its segments
    private final Map<String, Seg> segmentById = new HashMap<>();
    private final Map<String, Set<String>> annotationLinks = new HashMap<>(); // undirected
    private final Map<String, Set<String>> segmentLinks = new HashMap<>(); // undirected

    private ReferenceRelations() {}

    /** The oracle over a fixture's raw data. */
    public static ReferenceRelations of(GraphFixture fixture) {
        ReferenceRelations r = new ReferenceRelations();
        for (GraphFixture.Annotation a : fixture.annotations()) {
            r.manifestationOf.put(a.id(), a.manifestationId());
            List<Seg> segs = new ArrayList<>();
            for (Segment s : a.segments()) {
                Seg seg = new Seg(s.id(), s.span().start(), s.span().end());
                segs.add(seg);
                r.segmentById.put(seg.id(), seg);
            }
            r.segmentsOf.put(a.id(), segs);
            switch (a.type()) {
                case ALIGNMENT -> r.alignmentsOf.computeIfAbsent(a.manifestationId(), k -> new ArrayList<>()).add(a.id());
                case SEGMENTATION -> r.segmentationOf.computeIfAbsent(a.manifestationId(), k -> new ArrayList<>())
                        .addAll(segs);
                case PAGINATION -> { } // a job's alternative segment source only: never part of a search
            }
        }
        for (GraphFixture.Link l : fixture.annotationLinks()) {
            link(r.annotationLinks, l.from(), l.to());
        }
        for (GraphFixture.Link l : fixture.segmentLinks()) {
            link(r.segmentLinks, l.from(), l.to());
        }
        return r;
    }

    private static void link(Map<String, Set<String>> links, String x, String y) {
        links.computeIfAbsent(x, k -> new LinkedHashSet<>()).add(y);
        links.computeIfAbsent(y, k -> new LinkedHashSet<>()).add(x);
    }

    /** The related manifestations of {@code [start, end)} of {@code manifestationId}, in discovery order. */
    public List<Related> related(String manifestationId, int start, int end) {
        Deque<Object[]> queue = new ArrayDeque<>();
        queue.add(new Object[] {manifestationId, start, end});
        Set<String> visited = new HashSet<>(Set.of(manifestationId));
        Set<String> usedPairs = new HashSet<>();
        List<Related> out = new ArrayList<>();
        while (!queue.isEmpty()) {
            Object[] item = queue.poll();
            String m = (String) item[0];
            int s = (Integer) item[1];
            int e = (Integer) item[2];
            for (String[] pair : pairsOf(m)) {
                String a = pair[0];
                String b = pair[1];
                if (usedPairs.contains(a + "\u0000" + b)) {
                    continue;
                }
                Set<Seg> aligned = new HashSet<>();
                for (Seg x : segmentsOf.getOrDefault(a, List.of())) {
                    if (x.overlaps(s, e)) {
                        for (String y : segmentLinks.getOrDefault(x.id(), Set.of())) {
                            Seg linked = segmentById.get(y);
                            if (linked != null) {
                                aligned.add(linked);
                            }
                        }
                    }
                }
                if (aligned.isEmpty()) {
                    continue;
                }
                int envStart = Integer.MAX_VALUE;
                int envEnd = Integer.MIN_VALUE;
                for (Seg y : aligned) {
                    envStart = Math.min(envStart, y.start());
                    envEnd = Math.max(envEnd, y.end());
                }
                String reached = manifestationOf.get(b);
                if (reached == null || visited.contains(reached)) {
                    continue;
                }
                visited.add(reached);
                List<Seg> mapping = new ArrayList<>();
                for (Seg t : segmentationOf.getOrDefault(reached, List.of())) {
                    if (t.overlaps(envStart, envEnd)) {
                        mapping.add(t);
                    }
                }
                mapping.sort(BY_START_THEN_ID);
                out.add(new Related(reached, mapping));
                usedPairs.add(a + "\u0000" + b);
                usedPairs.add(b + "\u0000" + a);
                queue.add(new Object[] {reached, envStart, envEnd});
            }
        }
        return out;
    }

    /** The alignment pairs of a manifestation, sorted by (a.id, b.id) with String.compareTo. */
    private List<String[]> pairsOf(String manifestationId) {
        List<String[]> pairs = new ArrayList<>();
        for (String a : alignmentsOf.getOrDefault(manifestationId, List.of())) {
            for (String b : annotationLinks.getOrDefault(a, Set.of())) {
                pairs.add(new String[] {a, b});
            }
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        return pairs;
    }

    /** {@link #related} in core's output shape, for comparing with a stored or computed result. */
    public List<Mapping> mappings(String manifestationId, int start, int end) {
        List<Mapping> out = new ArrayList<>();
        for (Related r : related(manifestationId, start, end)) {
            List<Segment> segments = new ArrayList<>();
            for (Seg s : r.segments()) {
                segments.add(Segment.of(s.id(), s.start(), s.end()));
            }
            out.add(new Mapping(r.manifestationId(), segments));
        }
        return out;
    }
}
