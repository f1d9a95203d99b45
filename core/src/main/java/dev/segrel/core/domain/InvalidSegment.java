package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * A segment the graph holds with a span that is not one ({@code span_start >= span_end}, a missing,
 * non-integer, negative or past-{@code int} offset), kept as found so that the search can say which
 * segment of which manifestation it could not read.
 *
 * <p>Where it is reached follows what the graph's own overlap test does with the stored numbers:
 * with two numeric offsets, a probe reaches it when {@code start < probe.end && end > probe.start}
 * (a zero-length segment strictly inside the probe, a reversed one across it); without a numeric
 * position ({@code NaN} here: missing, text, boolean) it may lie anywhere, so every probe reaches it.
 *
 * @param manifestationId the manifestation whose annotation holds it, or {@code null} when the
 *     graph ties it to none
 * @param segmentId its id
 * @param problem what is wrong, one line without the graph's other data
 * @param start the stored start as a number, {@code NaN} when not numeric
 * @param end the stored end as a number, {@code NaN} when not numeric
 */
public record InvalidSegment(String manifestationId, String segmentId, String problem, double start, double end) {

    /** The order in which, of several reached at once, the first is named. */
    public static final Comparator<InvalidSegment> FIRST = Comparator
            .comparing((InvalidSegment s) -> String.valueOf(s.manifestationId()))
            .thenComparing(InvalidSegment::segmentId);

    public InvalidSegment {
        requireNonNull(segmentId, "segmentId is null");
        requireNonNull(problem, "problem is null");
    }

    /** True when a probe of {@code span} reaches this segment (see the class comment). */
    public boolean reachedBy(Span span) {
        if (Double.isNaN(start) || Double.isNaN(end)) {
            return true;
        }
        return start < span.end() && end > span.start();
    }

    /** The same segment, tied to {@code manifestation}. */
    public InvalidSegment of(String manifestation) {
        return new InvalidSegment(manifestation, segmentId, problem, start, end);
    }

    /** "segment s1 of manifestation M: span_start 5 >= span_end 5". */
    public String describe() {
        return "segment " + segmentId + " of manifestation " + (manifestationId == null ? "(none)" : manifestationId)
                + ": " + problem;
    }
}
