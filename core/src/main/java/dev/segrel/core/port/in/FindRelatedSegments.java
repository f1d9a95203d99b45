package dev.segrel.core.port.in;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Span;
import java.util.List;

/**
 * Finds, for a span of one manifestation, the related segments of every other manifestation that
 * alignments connect it to (the reference semantics of docs/architecture.md).
 *
 * <p>The answer is deterministic: alignment pairs are visited in {@code (a.id, b.id)} order
 * ({@link String#compareTo}), so when two routes reach one manifestation the same one wins on every
 * run. Implementations are thread-safe. Graph faults surface as
 * {@link dev.segrel.core.port.out.GraphUnavailableException} (transient).
 */
public interface FindRelatedSegments {

    /**
     * A related-segments query.
     *
     * @param manifestationId the manifestation the span belongs to
     * @param span the span
     * @param mode what each mapping lists
     */
    record Query(String manifestationId, Span span, RelationMode mode) {
        public Query {
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(span, "span is null");
            requireNonNull(mode, "mode is null");
        }

        public static Query of(String manifestationId, int start, int end) {
            return new Query(manifestationId, new Span(start, end), RelationMode.SEGMENTATION);
        }

        public Query withMode(RelationMode newMode) {
            return new Query(manifestationId, span, newMode);
        }
    }

    /** The outcome of a query. */
    sealed interface Result permits Related, UnknownManifestation {}

    /**
     * The mappings, one per manifestation reached, in discovery order; empty when no alignment
     * reaches another manifestation.
     */
    record Related(List<Mapping> mappings) implements Result {
        public Related {
            mappings = List.copyOf(requireNonNull(mappings, "mappings is null"));
        }
    }

    /** The query's manifestation is not in the graph. */
    record UnknownManifestation(String manifestationId) implements Result {
        public UnknownManifestation {
            requireNonNull(manifestationId, "manifestationId is null");
        }
    }

    /** Answers one query, checking first that its manifestation exists. */
    Result find(Query query);

    /**
     * Answers one query without checking that the manifestation exists: an unknown manifestation
     * simply reaches nothing. Saves one lookup on hot paths that have checked already.
     */
    List<Mapping> mappings(Query query);
}
