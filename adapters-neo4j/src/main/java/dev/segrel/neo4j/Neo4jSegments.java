package dev.segrel.neo4j;

import dev.segrel.core.domain.InvalidSegment;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.out.InvalidGraphDataException;
import org.neo4j.driver.Value;

/**
 * Reads a segment's stored id and offsets as they are, without the driver's coercions (which throw
 * {@code Uncoercible} or {@code LossyCoercion} on a missing, text or past-{@code long} offset): an
 * offset is an integer, or a whole float, in {@code [0, Integer.MAX_VALUE]}, and start is below end.
 * Anything else is an {@link InvalidSegment}, a value the readers keep or report.
 */
final class Neo4jSegments {

    /** What a stored segment is: a valid one, or the invalid one with what is wrong. */
    sealed interface Read permits Valid, Invalid {}

    record Valid(Segment segment) implements Read {}

    record Invalid(InvalidSegment segment) implements Read {}

    /**
     * The queries' guard (a format of the variable): true when both offsets are numbers, which is when
     * the graph's overlap test can place a segment at all. A segment failing it is returned for every
     * probe of its annotation, as an {@link InvalidSegment} without a position is reached by every one.
     */
    static final String POSITIONED = "coalesce(%1$s.span_start > -1.0e300 AND %1$s.span_end > -1.0e300, false)";

    /** Whether the graph itself sees a valid span (a fractional offset passes: the reader names it). */
    static final String VALID = "coalesce(0 <= %1$s.span_start < %1$s.span_end <= 2147483647, false)";

    private Neo4jSegments() {}

    static Read read(String manifestationId, Value id, Value start, Value end) {
        String segmentId = Neo4jAlignmentGraph.text(id);
        double rawStart = raw(start);
        double rawEnd = raw(end);
        String problem = problem("span_start", start);
        if (problem == null) {
            problem = problem("span_end", end);
        }
        if (problem == null && rawStart >= rawEnd) {
            problem = "span_start " + shown(start) + " >= span_end " + shown(end);
        }
        if (problem != null) {
            return new Invalid(new InvalidSegment(manifestationId, segmentId, problem, rawStart, rawEnd));
        }
        return new Valid(Segment.of(segmentId, (int) rawStart, (int) rawEnd));
    }

    /** The segment, or {@link InvalidGraphDataException} naming it. */
    static Segment valid(String manifestationId, Value id, Value start, Value end) {
        return switch (read(manifestationId, id, start, end)) {
            case Valid v -> v.segment();
            case Invalid i -> throw new InvalidGraphDataException(i.segment());
        };
    }

    /** Why this offset is not one, or {@code null}. */
    private static String problem(String name, Value value) {
        if (value == null || value.isNull()) {
            return name + " is missing";
        }
        if (!isNumber(value)) {
            return name + " is not an integer (" + value.type().name() + " " + shown(value) + ")";
        }
        double v = raw(value);
        if (isFloat(value) && (Double.isNaN(v) || v != Math.rint(v))) {
            return name + " is not an integer (" + shown(value) + ")";
        }
        if (v < 0) {
            return name + " is negative (" + shown(value) + ")";
        }
        if (v > Integer.MAX_VALUE) {
            return name + " " + shown(value) + " is past the int range";
        }
        return null;
    }

    private static boolean isNumber(Value value) {
        return isFloat(value) || "INTEGER".equals(value.type().name());
    }

    private static boolean isFloat(Value value) {
        return "FLOAT".equals(value.type().name());
    }

    /** The stored number, {@code NaN} when there is none. */
    private static double raw(Value value) {
        if (value == null || value.isNull() || !isNumber(value)) {
            return Double.NaN;
        }
        return isFloat(value) ? value.asDouble() : (double) value.asLong();
    }

    /** The value as stored, cut short: an error line names it without dumping a property. */
    private static String shown(Value value) {
        String text = "STRING".equals(value.type().name()) ? "\"" + value.asString() + "\"" : String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
