package dev.segrel.core.domain;

/**
 * A half-open character range {@code [start, end)} of a manifestation.
 *
 * @param start first character, {@code >= 0}
 * @param end one past the last character, {@code > start}
 */
public record Span(int start, int end) implements Comparable<Span> {

    public Span {
        if (start < 0) {
            throw new IllegalArgumentException("span start must be >= 0, was " + start);
        }
        if (start >= end) {
            throw new IllegalArgumentException("span start must be < end, was [" + start + ", " + end + ")");
        }
    }

    public static Span of(int start, int end) {
        return new Span(start, end);
    }

    /** True when the two spans share at least one character: {@code a.start < b.end && a.end > b.start}. */
    public boolean overlaps(Span other) {
        return start < other.end && end > other.start;
    }

    /** True when this span overlaps {@code [otherStart, otherEnd)}. */
    public boolean overlaps(int otherStart, int otherEnd) {
        return start < otherEnd && end > otherStart;
    }

    /** The smallest span covering every one of {@code segments} (at least one). */
    public static Span covering(java.util.Collection<Segment> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no segment to cover");
        }
        int start = Integer.MAX_VALUE;
        int end = Integer.MIN_VALUE;
        for (Segment s : segments) {
            start = Math.min(start, s.span().start());
            end = Math.max(end, s.span().end());
        }
        return new Span(start, end);
    }

    @Override
    public int compareTo(Span other) {
        int byStart = Integer.compare(start, other.start);
        return byStart != 0 ? byStart : Integer.compare(end, other.end);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
