package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.Span;
import java.util.List;

/**
 * Read access to the alignment graph (its model is in docs/architecture.md): manifestations, their annotations, segments and
 * the {@code ALIGNED_TO} links between them. segrel only reads the graph.
 *
 * <p>The methods are batched so that one breadth-first level of the related-segments search costs
 * one call of {@link #alignedSegments} and one of {@link #segmentationSegments}, whatever the number
 * of segments, pairs or manifestations involved: implementations over a remote database should
 * answer each call in a constant number of round trips.
 *
 * <p><b>Ordering.</b> Implementations need not sort anything: the search sorts pairs by
 * {@code (a.id, b.id)} and segments by start then id itself, and removes duplicates. Answers must
 * list, for each probe, results in the same position as the probe.
 *
 * <p><b>Threads.</b> Implementations must be safe for concurrent use by many threads.
 *
 * <p><b>Errors.</b> An unreachable or failing graph store is reported by throwing
 * {@link GraphUnavailableException}, which callers treat as transient (retry later): that includes
 * a store too busy to answer (no connection free in the pool, a leader switch). A segment whose
 * stored span is invalid (see {@link dev.segrel.core.domain.InvalidSegment}), when an answer would
 * have to include it, is reported by throwing {@link InvalidGraphDataException}, which is
 * <b>permanent</b>: the same call fails the same way until the graph is mended. Answers that do not
 * reach it are given as usual. Any other runtime exception is a programming error.
 */
public interface AlignmentGraph {

    /**
     * One point of the search: a manifestation and the span of it that has been reached.
     *
     * @param manifestationId the manifestation
     * @param span the span reached
     */
    record Probe(String manifestationId, Span span) {
        public Probe {
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(span, "span is null");
        }
    }

    /**
     * One alignment pair {@code (a, b)} seen from a probe: {@code a} is an alignment-type annotation
     * of the probed manifestation and {@code b} an annotation linked to {@code a} by
     * {@code ALIGNED_TO} (either direction).
     *
     * @param sourceAnnotationId {@code a.id}
     * @param targetAnnotationId {@code b.id}
     * @param targetManifestationId the id of the manifestation {@code b} annotates
     * @param linkedSegments the segments linked by {@code ALIGNED_TO} (either direction) to any
     *     segment of {@code a} that overlaps the probe's span; possibly empty, duplicates allowed
     */
    record AlignedPair(
            String sourceAnnotationId,
            String targetAnnotationId,
            String targetManifestationId,
            List<Segment> linkedSegments) {
        public AlignedPair {
            requireNonNull(sourceAnnotationId, "sourceAnnotationId is null");
            requireNonNull(targetAnnotationId, "targetAnnotationId is null");
            requireNonNull(targetManifestationId, "targetManifestationId is null");
            linkedSegments = List.copyOf(requireNonNull(linkedSegments, "linkedSegments is null"));
        }
    }

    /**
     * For each probe, every alignment pair of the probed manifestation with the segments linked to
     * the part of {@code a} that overlaps the probe's span. A pair whose {@code b} annotates no
     * manifestation is left out. A manifestation without alignment annotations (or unknown to the
     * graph) gets an empty list.
     *
     * @return one list per probe, in the order of {@code probes}
     * @throws GraphUnavailableException when the graph cannot be reached (transient)
     * @throws InvalidGraphDataException when a linked segment, or a segment of {@code a} the probe
     *     reaches, has an invalid span (permanent)
     */
    List<List<AlignedPair>> alignedSegments(List<Probe> probes);

    /**
     * For each probe, the segments of the probed manifestation's segmentation annotation(s) whose
     * span overlaps the probe's span.
     *
     * @return one list per probe, in the order of {@code probes}
     * @throws GraphUnavailableException when the graph cannot be reached (transient)
     * @throws InvalidGraphDataException when a segment the probe reaches has an invalid span (permanent)
     */
    List<List<Segment>> segmentationSegments(List<Probe> probes);

    /**
     * Whether a manifestation with this id exists.
     *
     * @throws GraphUnavailableException when the graph cannot be reached (transient)
     */
    boolean manifestationExists(String manifestationId);

    /**
     * Every segment of the manifestation's annotation(s) of the given type, sorted by start then id
     * (the segments a job is made of). Empty when the manifestation has none or does not exist.
     *
     * @throws GraphUnavailableException when the graph cannot be reached (transient)
     * @throws InvalidGraphDataException when one of them has an invalid span (permanent)
     */
    List<Segment> segmentsOf(String manifestationId, SegmentSource source);
}
