package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The invalid segments of one {@link ManifestationSlice}: of its segmentation, of its alignment
 * annotations, and linked to its valid alignment segments. A slice keeps them instead of failing to
 * load, so that only the searches that reach one of them fail and the others get their answers from
 * the same cached slice. Immutable; almost always {@link #NONE}.
 */
public final class SliceDefects {

    /** A slice without invalid segments. */
    public static final SliceDefects NONE = new SliceDefects(List.of(), Map.of(), Map.of());

    private final List<InvalidSegment> segmentation;
    private final Map<String, List<InvalidSegment>> alignment;
    private final Map<String, Map<String, List<InvalidSegment>>> links;

    private SliceDefects(List<InvalidSegment> segmentation, Map<String, List<InvalidSegment>> alignment,
            Map<String, Map<String, List<InvalidSegment>>> links) {
        this.segmentation = segmentation;
        this.alignment = alignment;
        this.links = links;
    }

    public boolean isEmpty() {
        return segmentation.isEmpty() && alignment.isEmpty() && links.isEmpty();
    }

    /** How many invalid segments (towards the slice's weight). */
    public int size() {
        int n = segmentation.size();
        for (List<InvalidSegment> l : alignment.values()) {
            n += l.size();
        }
        for (Map<String, List<InvalidSegment>> m : links.values()) {
            for (List<InvalidSegment> l : m.values()) {
                n += l.size();
            }
        }
        return n;
    }

    /** Invalid segments of the segmentation annotation(s). */
    public List<InvalidSegment> segmentation() {
        return segmentation;
    }

    /** Per alignment annotation, its own invalid segments. */
    public Map<String, List<InvalidSegment>> alignment() {
        return alignment;
    }

    /** Per alignment annotation, per id of one of its valid segments, the invalid segments linked to it. */
    public Map<String, Map<String, List<InvalidSegment>>> links() {
        return links;
    }

    /** The first invalid segmentation segment a probe of {@code span} reaches. */
    Optional<InvalidSegment> segmentationReached(Span span) {
        return first(segmentation, span);
    }

    /** The first invalid segment of annotation {@code annotationId} a probe of {@code span} reaches. */
    Optional<InvalidSegment> alignmentReached(String annotationId, Span span) {
        return first(alignment.getOrDefault(annotationId, List.of()), span);
    }

    /** The invalid segments linked to valid segment {@code segmentId} of {@code annotationId}. */
    List<InvalidSegment> linkedTo(String annotationId, String segmentId) {
        Map<String, List<InvalidSegment>> perSegment = links.get(annotationId);
        return perSegment == null ? List.of() : perSegment.getOrDefault(segmentId, List.of());
    }

    boolean hasLinks(String annotationId) {
        return links.containsKey(annotationId);
    }

    private static Optional<InvalidSegment> first(List<InvalidSegment> segments, Span span) {
        return segments.stream().filter(s -> s.reachedBy(span)).min(InvalidSegment.FIRST);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SliceDefects other && segmentation.equals(other.segmentation)
                && alignment.equals(other.alignment) && links.equals(other.links);
    }

    @Override
    public int hashCode() {
        return segmentation.hashCode() * 31 + alignment.hashCode();
    }

    /** Collects defects as rows come, deduplicated by segment id. Not thread-safe. */
    static final class Builder {
        private final Map<String, InvalidSegment> segmentation = new LinkedHashMap<>();
        private final Map<String, Map<String, InvalidSegment>> alignment = new LinkedHashMap<>();
        private final Map<String, Map<String, Map<String, InvalidSegment>>> links = new LinkedHashMap<>();

        void segmentation(InvalidSegment s) {
            segmentation.putIfAbsent(requireNonNull(s, "segment is null").segmentId(), s);
        }

        void alignment(String annotationId, InvalidSegment s) {
            requireNonNull(s, "segment is null");
            alignment.computeIfAbsent(requireNonNull(annotationId, "annotationId is null"), k -> new LinkedHashMap<>())
                    .putIfAbsent(s.segmentId(), s);
        }

        void link(String annotationId, String segmentId, InvalidSegment linked) {
            requireNonNull(linked, "linked is null");
            links.computeIfAbsent(requireNonNull(annotationId, "annotationId is null"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(requireNonNull(segmentId, "segmentId is null"), k -> new LinkedHashMap<>())
                    .putIfAbsent(linked.segmentId(), linked);
        }

        SliceDefects build() {
            if (segmentation.isEmpty() && alignment.isEmpty() && links.isEmpty()) {
                return NONE;
            }
            Map<String, List<InvalidSegment>> a = new LinkedHashMap<>();
            alignment.forEach((k, v) -> a.put(k, List.copyOf(v.values())));
            Map<String, Map<String, List<InvalidSegment>>> l = new LinkedHashMap<>();
            links.forEach((k, v) -> {
                Map<String, List<InvalidSegment>> perSegment = new LinkedHashMap<>();
                v.forEach((id, linked) -> perSegment.put(id, List.copyOf(linked.values())));
                l.put(k, Map.copyOf(perSegment));
            });
            return new SliceDefects(List.copyOf(new ArrayList<>(segmentation.values())), Map.copyOf(a), Map.copyOf(l));
        }
    }
}
