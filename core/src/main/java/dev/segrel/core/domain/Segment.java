package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * An identified span of a manifestation.
 *
 * @param id the segment's id, as the graph has it
 * @param span its characters
 */
public record Segment(String id, Span span) {

    /** Order of segments in a mapping: by start, then by segment id ({@link String#compareTo}). */
    public static final Comparator<Segment> BY_START_THEN_ID =
            Comparator.comparingInt((Segment s) -> s.span().start()).thenComparing(Segment::id);

    public Segment {
        requireNonNull(id, "id is null");
        requireNonNull(span, "span is null");
    }

    public static Segment of(String id, int start, int end) {
        return new Segment(id, new Span(start, end));
    }
}
