package dev.segrel.core.index;

import dev.segrel.core.domain.ManifestationSlice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ManifestationSliceTest {

    @Test
    void theBuilderSortsAndDeduplicatesWhatAQueryReturnsInAnyOrder() {
        ManifestationSlice slice = SliceTestData.small("A");

        assertThat(slice.pairs()).extracting(ManifestationSlice.Pair::targetManifestationId).containsExactly("B", "C");
        assertThat(slice.segmentation()).containsExactly(Segment.of("s1", 0, 10), Segment.of("s2", 10, 20));
        assertThat(slice.alignmentSegments("al")).extracting(Segment::id).containsExactly("x1", "x2", "x3");
        assertThat(slice.linkedTo("al", "x1")).extracting(Segment::id).containsExactly("y1", "y2");
        assertThat(slice.linkedTo("al", "x3")).isEmpty();
    }

    @Test
    void linkedOverlappingListsEachLinkedSegmentOnceForTheOverlappingSegmentsOnly() {
        ManifestationSlice slice = SliceTestData.small("A");

        assertThat(slice.linkedOverlapping("al", Span.of(5, 15))).extracting(Segment::id)
                .containsExactlyInAnyOrder("y1", "y2");
        assertThat(slice.linkedOverlapping("al", Span.of(10, 11))).extracting(Segment::id).containsExactly("y2");
        assertThat(slice.linkedOverlapping("al", Span.of(20, 40))).isEmpty();
        assertThat(slice.linkedOverlapping("other", Span.of(0, 40))).isEmpty();
    }

    @Test
    void overlapQueriesAgreeWithAScanOverEverySegment() {
        ManifestationSlice slice = SliceTestData.random("R", 42, 1_000);
        SplittableRandom r = new SplittableRandom(7);
        for (int q = 0; q < 200; q++) {
            int start = r.nextInt(10_500);
            Span span = Span.of(start, start + 1 + r.nextInt(q % 10 == 0 ? 5_000 : 100));
            List<Segment> expected = slice.segmentation().stream().filter(s -> s.span().overlaps(span))
                    .sorted(Segment.BY_START_THEN_ID).toList();
            assertThat(slice.segmentationOverlapping(span)).as("query %s", span).isEqualTo(expected);

            List<String> expectedLinked = slice.alignmentSegments("a").stream().filter(s -> s.span().overlaps(span))
                    .flatMap(s -> slice.linkedTo("a", s.id()).stream()).map(Segment::id).distinct()
                    .sorted(Comparator.naturalOrder()).toList();
            assertThat(slice.linkedOverlapping("a", span)).extracting(Segment::id)
                    .containsExactlyInAnyOrderElementsOf(expectedLinked);
        }
    }

    @Test
    void anEmptySliceAnswersNothingAndWeighsOne() {
        ManifestationSlice slice = ManifestationSlice.empty("NOPE");

        assertThat(slice.pairs()).isEmpty();
        assertThat(slice.segmentationOverlapping(Span.of(0, 100))).isEmpty();
        assertThat(slice.weight()).isEqualTo(1);
    }
}
