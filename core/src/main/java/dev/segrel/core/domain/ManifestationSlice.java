package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one manifestation contributes to the related-segments search: its
 * alignment pairs {@code (a, b, manifestation of b)}, for each of its alignment annotations the
 * segments sorted by start with the segments linked to each, and its segmentation segments sorted
 * by start then id. Loaded in one query ({@link dev.segrel.core.port.out.SliceSource}), it answers
 * the search's overlap questions from memory.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder(String)}.
 */
public final class ManifestationSlice {

    /**
     * An alignment pair seen from this manifestation.
     *
     * @param sourceAnnotationId {@code a}, an alignment annotation of this manifestation
     * @param targetAnnotationId {@code b}, linked to {@code a} by {@code ALIGNED_TO}
     * @param targetManifestationId the manifestation {@code b} annotates
     */
    public record Pair(String sourceAnnotationId, String targetAnnotationId, String targetManifestationId) {
        public Pair {
            requireNonNull(sourceAnnotationId, "sourceAnnotationId is null");
            requireNonNull(targetAnnotationId, "targetAnnotationId is null");
            requireNonNull(targetManifestationId, "targetManifestationId is null");
        }
    }

    private final String manifestationId;
    private final List<Pair> pairs;
    private final Map<String, SegmentIntervals> alignmentSegments;
    // per annotation: CSR offsets into refs (segment i's links are refs[offsets[i] .. offsets[i+1]))
    private final Map<String, int[]> linkOffsets;
    private final Map<String, int[]> linkRefs;
    // the distinct linked segments of the slice, as parallel arrays indexed by refs
    private final String[] linkedIds;
    private final int[] linkedStarts;
    private final int[] linkedEnds;
    private final SegmentIntervals segmentation;
    private final SliceDefects defects;
    private final long weight;

    private ManifestationSlice(String manifestationId, List<Pair> pairs, Map<String, SegmentIntervals> alignmentSegments,
            Map<String, int[]> linkOffsets, Map<String, int[]> linkRefs, String[] linkedIds, int[] linkedStarts,
            int[] linkedEnds, SegmentIntervals segmentation, SliceDefects defects) {
        this.manifestationId = manifestationId;
        this.pairs = pairs;
        this.alignmentSegments = alignmentSegments;
        this.linkOffsets = linkOffsets;
        this.linkRefs = linkRefs;
        this.linkedIds = linkedIds;
        this.linkedStarts = linkedStarts;
        this.linkedEnds = linkedEnds;
        this.segmentation = segmentation;
        this.defects = defects;
        long w = segmentation.size() + pairs.size() + defects.size();
        for (Map.Entry<String, SegmentIntervals> e : alignmentSegments.entrySet()) {
            w += e.getValue().size() + linkRefs.get(e.getKey()).length;
        }
        this.weight = Math.max(1, w);
    }

    private Segment linked(int ref) {
        return Segment.of(linkedIds[ref], linkedStarts[ref], linkedEnds[ref]);
    }

    /** An empty slice: a manifestation without alignments or segments, or unknown to the graph. */
    public static ManifestationSlice empty(String manifestationId) {
        return builder(manifestationId).build();
    }

    public static Builder builder(String manifestationId) {
        return new Builder(manifestationId);
    }

    public String manifestationId() {
        return manifestationId;
    }

    /** The alignment pairs, sorted by {@code (a.id, b.id)}, without duplicates. */
    public List<Pair> pairs() {
        return pairs;
    }

    /** The ids of the alignment annotations that have segments, sorted. */
    public List<String> alignmentAnnotations() {
        List<String> ids = new ArrayList<>(alignmentSegments.keySet());
        Collections.sort(ids);
        return ids;
    }

    /** The segments of an alignment annotation of this manifestation, sorted by start then id. */
    public List<Segment> alignmentSegments(String annotationId) {
        SegmentIntervals intervals = alignmentSegments.get(annotationId);
        return intervals == null ? List.of() : List.of(intervals.segments());
    }

    /** The segments linked to one segment of an alignment annotation (empty when none or unknown). */
    public List<Segment> linkedTo(String annotationId, String segmentId) {
        SegmentIntervals intervals = alignmentSegments.get(annotationId);
        if (intervals == null) {
            return List.of();
        }
        for (int i = 0; i < intervals.size(); i++) {
            if (intervals.id(i).equals(segmentId)) {
                return List.of(linkedByIndex(annotationId)[i]);
            }
        }
        return List.of();
    }

    /**
     * Per segment of {@link #alignmentSegments(String)}, in that order, its linked segments, as a
     * fresh outer array (codecs write a slice out with it).
     */
    public Segment[][] linkedByIndex(String annotationId) {
        int[] offsets = linkOffsets.get(annotationId);
        if (offsets == null) {
            return new Segment[0][];
        }
        int[] refs = linkRefs.get(annotationId);
        Segment[][] out = new Segment[offsets.length - 1][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Segment[offsets[i + 1] - offsets[i]];
            for (int j = offsets[i]; j < offsets[i + 1]; j++) {
                out[i][j - offsets[i]] = linked(refs[j]);
            }
        }
        return out;
    }

    /** The segmentation segments, sorted by start then id, distinct by id. */
    public List<Segment> segmentation() {
        return List.of(segmentation.segments());
    }

    /**
     * The distinct segments linked to any segment of alignment annotation {@code annotationId} that
     * overlaps {@code span}; in no particular order.
     */
    public List<Segment> linkedOverlapping(String annotationId, Span span) {
        SegmentIntervals intervals = alignmentSegments.get(annotationId);
        if (intervals == null) {
            return List.of();
        }
        int[] offsets = linkOffsets.get(annotationId);
        int[] refs = linkRefs.get(annotationId);
        List<Segment> out = new ArrayList<>();
        Set<Integer> seen = new java.util.HashSet<>();
        intervals.forEachOverlapping(span.start(), span.end(), i -> {
            for (int j = offsets[i]; j < offsets[i + 1]; j++) {
                if (seen.add(refs[j])) {
                    out.add(linked(refs[j]));
                }
            }
        });
        return out;
    }

    /** The segmentation segments overlapping {@code span}, sorted by start then id. */
    public List<Segment> segmentationOverlapping(Span span) {
        List<Segment> out = new ArrayList<>();
        segmentation.forEachOverlapping(span.start(), span.end(), i -> out.add(segmentation.get(i)));
        Collections.reverse(out);
        return out;
    }

    /** The invalid segments this slice holds (see {@link SliceDefects}). */
    public SliceDefects defects() {
        return defects;
    }

    /** The first invalid segmentation segment a probe of {@code span} reaches, if any. */
    public Optional<InvalidSegment> invalidSegmentationReached(Span span) {
        return defects.segmentationReached(span);
    }

    /**
     * The first invalid segment a probe of {@code span} reaches through alignment annotation
     * {@code annotationId}: one of its own, or one linked to one of its segments that overlaps the span.
     */
    public Optional<InvalidSegment> invalidAlignmentReached(String annotationId, Span span) {
        if (defects == SliceDefects.NONE) {
            return Optional.empty();
        }
        Optional<InvalidSegment> own = defects.alignmentReached(annotationId, span);
        SegmentIntervals intervals = alignmentSegments.get(annotationId);
        if (own.isPresent() || intervals == null || !defects.hasLinks(annotationId)) {
            return own;
        }
        List<InvalidSegment> reached = new ArrayList<>();
        intervals.forEachOverlapping(span.start(), span.end(),
                i -> reached.addAll(defects.linkedTo(annotationId, intervals.id(i))));
        return reached.stream().min(InvalidSegment.FIRST);
    }

    /**
     * How much this slice holds: segments, links and pairs. Caches bound their size by the sum of
     * the weights, a proxy for memory (about a hundred bytes per unit).
     */
    public long weight() {
        return weight;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ManifestationSlice other)) {
            return false;
        }
        if (!manifestationId.equals(other.manifestationId) || !pairs.equals(other.pairs)
                || !segmentation.equals(other.segmentation)
                || !alignmentSegments.equals(other.alignmentSegments) || !defects.equals(other.defects)) {
            return false;
        }
        for (String a : alignmentSegments.keySet()) {
            if (!Arrays.deepEquals(linkedByIndex(a), other.linkedByIndex(a))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return manifestationId.hashCode() * 31 + pairs.hashCode();
    }

    @Override
    public String toString() {
        return "ManifestationSlice[" + manifestationId + ", " + pairs.size() + " pairs, " + alignmentSegments.size()
                + " alignment annotations, " + segmentation.size() + " segmentation segments, weight " + weight + "]";
    }

    /**
     * Collects a slice from rows in any order, with duplicates (as a graph query returns them). Not
     * thread-safe; use once.
     */
    public static final class Builder {

        private final String manifestationId;
        private final Set<Pair> pairs = new LinkedHashSet<>();
        private final Map<String, Map<String, Segment>> alignment = new LinkedHashMap<>();
        // per annotation, per segment id, its linked segments: lists of one or two, deduplicated by scan
        private final Map<String, Map<String, List<Segment>>> links = new HashMap<>();
        private final Map<String, Segment> segmentation = new LinkedHashMap<>();
        // one object per distinct linked segment id, shared between the annotations linking to it
        private final Map<String, Segment> interned = new HashMap<>();
        private final SliceDefects.Builder defects = new SliceDefects.Builder();

        private Builder(String manifestationId) {
            this.manifestationId = requireNonNull(manifestationId, "manifestationId is null");
        }

        public Builder pair(String a, String b, String targetManifestationId) {
            pairs.add(new Pair(a, b, targetManifestationId));
            return this;
        }

        /** A segment of alignment annotation {@code annotationId} of this manifestation. */
        public Builder alignmentSegment(String annotationId, Segment segment) {
            requireNonNull(annotationId, "annotationId is null");
            requireNonNull(segment, "segment is null");
            alignment.computeIfAbsent(annotationId, k -> new LinkedHashMap<>()).putIfAbsent(segment.id(), segment);
            return this;
        }

        /** A link from a segment of alignment annotation {@code annotationId} to {@code linked}. */
        public Builder link(String annotationId, Segment segment, Segment linked) {
            alignmentSegment(annotationId, segment);
            requireNonNull(linked, "linked is null");
            Segment shared = interned.computeIfAbsent(linked.id(), k -> linked);
            List<Segment> list = links.computeIfAbsent(annotationId, k -> new HashMap<>())
                    .computeIfAbsent(segment.id(), k -> new ArrayList<>(2));
            for (Segment s : list) {
                if (s.id().equals(shared.id())) {
                    return this;
                }
            }
            list.add(shared);
            return this;
        }

        /** A segment of a segmentation annotation of this manifestation. */
        public Builder segmentationSegment(Segment segment) {
            requireNonNull(segment, "segment is null");
            segmentation.putIfAbsent(segment.id(), segment);
            return this;
        }

        /** A segment of alignment annotation {@code annotationId} added so far, or {@code null}. */
        public Segment alignmentSegmentOf(String annotationId, String segmentId) {
            Map<String, Segment> segments = alignment.get(annotationId);
            return segments == null ? null : segments.get(segmentId);
        }

        /** An invalid segment of the segmentation of this manifestation. */
        public Builder invalidSegmentationSegment(InvalidSegment segment) {
            defects.segmentation(segment);
            return this;
        }

        /** An invalid segment of alignment annotation {@code annotationId} (its links are not followed). */
        public Builder invalidAlignmentSegment(String annotationId, InvalidSegment segment) {
            defects.alignment(annotationId, segment);
            return this;
        }

        /** A link from a valid segment of alignment annotation {@code annotationId} to an invalid one. */
        public Builder invalidLink(String annotationId, Segment segment, InvalidSegment linked) {
            alignmentSegment(annotationId, segment);
            defects.link(annotationId, segment.id(), linked);
            return this;
        }

        public ManifestationSlice build() {
            List<Pair> sortedPairs = new ArrayList<>(pairs);
            sortedPairs.sort(java.util.Comparator.comparing(Pair::sourceAnnotationId)
                    .thenComparing(Pair::targetAnnotationId).thenComparing(Pair::targetManifestationId));
            Map<String, SegmentIntervals> intervals = new HashMap<>();
            Map<String, int[]> offsetsByAnnotation = new HashMap<>();
            Map<String, int[]> refsByAnnotation = new HashMap<>();
            Map<String, Integer> refOf = new HashMap<>();
            List<Segment> table = new ArrayList<>();
            for (Map.Entry<String, Map<String, Segment>> e : alignment.entrySet()) {
                Segment[] sorted = sorted(e.getValue().values());
                Map<String, List<Segment>> perSegment = links.getOrDefault(e.getKey(), Map.of());
                int[] offsets = new int[sorted.length + 1];
                List<Integer> refs = new ArrayList<>();
                for (int i = 0; i < sorted.length; i++) {
                    List<Segment> l = perSegment.get(sorted[i].id());
                    for (Segment s : l == null ? NONE : sorted(l)) {
                        refs.add(refOf.computeIfAbsent(s.id(), k -> {
                            table.add(s);
                            return table.size() - 1;
                        }));
                    }
                    offsets[i + 1] = refs.size();
                }
                intervals.put(e.getKey(), new SegmentIntervals(sorted));
                offsetsByAnnotation.put(e.getKey(), offsets);
                refsByAnnotation.put(e.getKey(), refs.stream().mapToInt(Integer::intValue).toArray());
            }
            String[] ids = new String[table.size()];
            int[] starts = new int[table.size()];
            int[] ends = new int[table.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = table.get(i).id();
                starts[i] = table.get(i).span().start();
                ends[i] = table.get(i).span().end();
            }
            return new ManifestationSlice(manifestationId, List.copyOf(sortedPairs), intervals, offsetsByAnnotation,
                    refsByAnnotation, ids, starts, ends,
                    segmentation.isEmpty() ? SegmentIntervals.EMPTY : new SegmentIntervals(sorted(segmentation.values())),
                    defects.build());
        }

        private static final Segment[] NONE = new Segment[0];

        private static Segment[] sorted(java.util.Collection<Segment> segments) {
            Segment[] out = segments.toArray(NONE);
            Arrays.sort(out, Segment.BY_START_THEN_ID);
            return out;
        }
    }
}
