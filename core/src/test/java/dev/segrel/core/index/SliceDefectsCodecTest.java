package dev.segrel.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.InvalidSegment;
import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import org.junit.jupiter.api.Test;

/** Invalid segments a slice keeps, in memory and through the second-level cache's codec. */
class SliceDefectsCodecTest {

    private static final double NONE = Double.NaN;

    static ManifestationSlice withDefects() {
        return ManifestationSlice.builder("M")
                .pair("M-al", "N-al", "N")
                .link("M-al", Segment.of("ma1", 0, 10), Segment.of("na1", 0, 10))
                .invalidLink("M-al", Segment.of("ma2", 10, 20), new InvalidSegment("N", "na2", "span_start is missing",
                        NONE, 20))
                .invalidAlignmentSegment("M-al", new InvalidSegment("M", "ma3", "span_start 30 >= span_end 30", 30, 30))
                .segmentationSegment(Segment.of("m1", 0, 10))
                .invalidSegmentationSegment(new InvalidSegment("M", "m2", "span_end 3000000000 is past the int range",
                        10, 3e9))
                .build();
    }

    @Test
    void aSliceWithInvalidSegmentsSurvivesEncodingAndDecoding() {
        ManifestationSlice slice = withDefects();
        ManifestationSlice decoded = SliceCodec.decode(SliceCodec.encode(slice));
        assertThat(decoded).isEqualTo(slice);
        assertThat(decoded.defects().size()).isEqualTo(3);
        assertThat(decoded.invalidSegmentationReached(new Span(0, 5))).isEmpty();
        assertThat(decoded.invalidSegmentationReached(new Span(15, 20))).get()
                .extracting(InvalidSegment::segmentId).isEqualTo("m2");
    }

    @Test
    void aSearchReachesAnInvalidLinkOnlyThroughTheSegmentLinkedToIt() {
        ManifestationSlice slice = withDefects();
        assertThat(slice.invalidAlignmentReached("M-al", new Span(0, 10))).isEmpty();
        assertThat(slice.invalidAlignmentReached("M-al", new Span(12, 14))).get()
                .extracting(InvalidSegment::segmentId, InvalidSegment::manifestationId).containsExactly("na2", "N");
        // the zero-length own segment at 30 lies strictly inside [25, 35)
        assertThat(slice.invalidAlignmentReached("M-al", new Span(25, 35))).get()
                .extracting(InvalidSegment::segmentId).isEqualTo("ma3");
        assertThat(slice.invalidAlignmentReached("M-al", new Span(30, 35))).isEmpty();
        assertThat(slice.linkedOverlapping("M-al", new Span(0, 20))).containsExactly(Segment.of("na1", 0, 10));
    }

    @Test
    void aSliceWithoutDefectsIsEncodedAsBefore() {
        ManifestationSlice plain = SliceTestData.small("A");
        assertThat(plain.defects().isEmpty()).isTrue();
        assertThat(SliceCodec.decode(SliceCodec.encode(plain))).isEqualTo(plain);
    }

    @Test
    void bytesHoldingAnEmptyOrPastIntSpanAreRejectedAsCorrupt() {
        byte[] bytes = SliceCodec.encode(ManifestationSlice.builder("M").segmentationSegment(Segment.of("s", 5, 6))
                .build());
        bytes[bytes.length - 1] = 0;
        assertThatThrownBy(() -> SliceCodec.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment s has length 0");

        byte[] atEnd = SliceCodec.encode(ManifestationSlice.builder("M")
                .segmentationSegment(Segment.of("s", Integer.MAX_VALUE - 1, Integer.MAX_VALUE)).build());
        atEnd[atEnd.length - 1] = 2;
        assertThatThrownBy(() -> SliceCodec.decode(atEnd)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment s ends past the int range");
    }
}
