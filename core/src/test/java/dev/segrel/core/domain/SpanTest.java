package dev.segrel.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpanTest {

    @Test
    void rejectsANegativeStart() {
        assertThatThrownBy(() -> new Span(-1, 4)).hasMessage("span start must be >= 0, was -1");
    }

    @Test
    void rejectsAnEmptyOrReversedSpan() {
        assertThatThrownBy(() -> new Span(4, 4)).hasMessage("span start must be < end, was [4, 4)");
        assertThatThrownBy(() -> new Span(5, 4)).hasMessage("span start must be < end, was [5, 4)");
    }

    @Test
    void overlapIsHalfOpen() {
        Span span = new Span(10, 20);

        assertThat(span.overlaps(new Span(19, 30))).isTrue();
        assertThat(span.overlaps(new Span(20, 30))).isFalse();
        assertThat(span.overlaps(new Span(0, 10))).isFalse();
        assertThat(span.overlaps(new Span(0, 11))).isTrue();
    }
}
