package dev.segrel.bench;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import java.util.List;

/**
 * A synthetic canon: manifestations with their segmentation and alignment annotations.
 *
 * @param manifestations every manifestation, the first one the job's
 * @param annotations every annotation with its segments
 * @param annotationLinks {@code ALIGNED_TO} between annotations
 * @param segmentLinks {@code ALIGNED_TO} between segments
 */
public record Corpus(List<Manifestation> manifestations, List<Annotation> annotations, List<Link> annotationLinks,
        List<Link> segmentLinks) {

    /** A manifestation and its role in the canon. */
    public record Manifestation(String id, String kind, String parentId) {}

    public record Annotation(String id, String manifestationId, String type, List<Segment> segments) {
        public Annotation {
            requireNonNull(id, "id is null");
            segments = List.copyOf(segments);
        }
    }

    public record Link(String from, String to) {}

    public Corpus {
        manifestations = List.copyOf(manifestations);
        annotations = List.copyOf(annotations);
        annotationLinks = List.copyOf(annotationLinks);
        segmentLinks = List.copyOf(segmentLinks);
    }

    /** The manifestation whose segments the benchmark's job is made of. */
    public String jobManifestation() {
        return manifestations.get(0).id();
    }

    /** The segmentation segments of a manifestation, in order. */
    public List<Segment> segmentation(String manifestationId) {
        return annotations.stream()
                .filter(a -> a.manifestationId().equals(manifestationId) && a.type().equals("segmentation"))
                .flatMap(a -> a.segments().stream()).toList();
    }

    public long segmentCount() {
        return annotations.stream().mapToLong(a -> a.segments().size()).sum();
    }
}
