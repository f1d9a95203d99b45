package dev.segrel.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Value;
import org.neo4j.driver.Values;

/** Stored offsets as other tools write them, read without the driver's coercions. */
class Neo4jSegmentsTest {

    private static Neo4jSegments.Read read(Value start, Value end) {
        return Neo4jSegments.read("M", Values.value("s1"), start, end);
    }

    private static String problem(Value start, Value end) {
        Neo4jSegments.Read read = read(start, end);
        assertThat(read).isInstanceOf(Neo4jSegments.Invalid.class);
        Neo4jSegments.Invalid invalid = (Neo4jSegments.Invalid) read;
        assertThat(invalid.segment().manifestationId()).isEqualTo("M");
        assertThat(invalid.segment().segmentId()).isEqualTo("s1");
        return invalid.segment().problem();
    }

    @Test
    void integersAndWholeFloatsAreAValidSpan() {
        assertThat(read(Values.value(3L), Values.value(7.0)))
                .isEqualTo(new Neo4jSegments.Valid(Segment.of("s1", 3, 7)));
    }

    @Test
    void eachKindOfBadOffsetGetsItsOwnProblem() {
        assertThat(problem(Values.value(5L), Values.value(5L))).isEqualTo("span_start 5 >= span_end 5");
        assertThat(problem(Values.NULL, Values.value(5L))).isEqualTo("span_start is missing");
        assertThat(problem(Values.value(1L), Values.value("9"))).isEqualTo("span_end is not an integer (STRING \"9\")");
        assertThat(problem(Values.value(true), Values.value(9L))).startsWith("span_start is not an integer (BOOLEAN");
        assertThat(problem(Values.value(1.5), Values.value(9L))).isEqualTo("span_start is not an integer (1.5)");
        assertThat(problem(Values.value(-2L), Values.value(9L))).isEqualTo("span_start is negative (-2)");
        assertThat(problem(Values.value(0L), Values.value(3_000_000_000L)))
                .isEqualTo("span_end 3000000000 is past the int range");
        assertThat(problem(Values.value(0L), Values.value(Double.NaN))).startsWith("span_end is not an integer");
    }

    @Test
    void aBadSegmentKeepsItsStoredNumbersSoThatItIsReachedWhereTheGraphWouldFindIt() {
        Neo4jSegments.Invalid zero = (Neo4jSegments.Invalid) read(Values.value(5L), Values.value(5L));
        assertThat(zero.segment().reachedBy(new Span(0, 10))).isTrue();
        assertThat(zero.segment().reachedBy(new Span(5, 10))).isFalse();
        Neo4jSegments.Invalid missing = (Neo4jSegments.Invalid) read(Values.NULL, Values.value(5L));
        assertThat(missing.segment().reachedBy(new Span(100, 110))).isTrue();
    }

    @Test
    void aLongTextOffsetIsCutShortInTheProblem() {
        assertThat(problem(Values.value("x".repeat(500)), Values.value(5L))).hasSizeLessThan(100);
    }
}
