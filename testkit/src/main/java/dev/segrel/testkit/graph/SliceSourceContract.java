package dev.segrel.testkit.graph;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.out.SliceSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SliceSource} must load for a manifestation, worked out by hand from the graph
 * model (links undirected, links to nodes that do not exist dropped, every segmentation annotation
 * counted). Extend it with a source over a graph holding the given fixture.
 */
public abstract class SliceSourceContract {

    /** A source over a graph that holds exactly {@code fixture}. */
    protected abstract SliceSource sliceSourceOf(GraphFixture fixture);

    /**
     * A: two segmentations, a pagination, alignments A-al (x1 x2 x3) and A-al2 (w1). B: B-al (y1 y2
     * y3). C: C-al (z1). A-al pairs with B-al (stored both ways), A-al2 with C-al and with an
     * annotation that does not exist. x1 links to y1 and y2; x2 and y3 link each other both ways;
     * w1 links to z1.
     */
    static GraphFixture mixed() {
        return new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10), seg("a2", 10, 20))
                .segmentation("A", "A-seg2", seg("a0", 0, 10))
                .pagination("A", "A-page", seg("p1", 0, 20))
                .alignment("A", "A-al", seg("x1", 0, 10), seg("x2", 10, 20), seg("x3", 20, 25))
                .alignment("A", "A-al2", seg("w1", 0, 20))
                .segmentation("B", "B-seg", seg("b1", 0, 4), seg("b2", 4, 30))
                .alignment("B", "B-al", seg("y1", 0, 4), seg("y2", 4, 8), seg("y3", 8, 30))
                .alignment("C", "C-al", seg("z1", 0, 9))
                .linkAnnotations("A-al", "B-al").linkAnnotations("B-al", "A-al")
                .linkAnnotations("C-al", "A-al2")
                .linkAnnotations("A-al2", "nowhere")
                .linkSegments("x1", "y1", "y2")
                .linkSegments("y3", "x2")
                .linkSegments("x2", "y3")
                .linkSegments("w1", "z1");
    }

    @Test
    public void aManifestationsSliceHasItsPairsAlignmentSegmentsLinksAndEverySegmentation() {
        SliceSource source = sliceSourceOf(mixed());

        ManifestationSlice a = source.load("A");

        assertThat(a.manifestationId()).isEqualTo("A");
        assertThat(a.pairs()).containsExactly(
                new ManifestationSlice.Pair("A-al", "B-al", "B"), new ManifestationSlice.Pair("A-al2", "C-al", "C"));
        assertThat(ids(a.alignmentSegments("A-al"))).containsExactly("x1", "x2", "x3");
        assertThat(ids(a.linkedTo("A-al", "x1"))).containsExactlyInAnyOrder("y1", "y2");
        assertThat(ids(a.linkedTo("A-al", "x2"))).containsExactly("y3");
        assertThat(a.linkedTo("A-al", "x3")).isEmpty();
        assertThat(ids(a.linkedTo("A-al2", "w1"))).containsExactly("z1");
        assertThat(ids(a.segmentation())).containsExactly("a0", "a1", "a2");
        assertThat(a.linkedTo("A-al", "x2").get(0).span()).isEqualTo(new Span(8, 30));
    }

    @Test
    public void linksCountFromEitherSide() {
        SliceSource source = sliceSourceOf(mixed());

        ManifestationSlice b = source.load("B");
        ManifestationSlice c = source.load("C");

        assertThat(b.pairs()).containsExactly(new ManifestationSlice.Pair("B-al", "A-al", "A"));
        assertThat(ids(b.linkedTo("B-al", "y1"))).containsExactly("x1");
        assertThat(ids(b.linkedTo("B-al", "y3"))).containsExactly("x2");
        assertThat(ids(b.segmentation())).containsExactly("b1", "b2");
        assertThat(c.pairs()).containsExactly(new ManifestationSlice.Pair("C-al", "A-al2", "A"));
        assertThat(ids(c.linkedTo("C-al", "z1"))).containsExactly("w1");
        assertThat(c.segmentation()).isEmpty();
    }

    @Test
    public void anUnknownManifestationHasAnEmptySlice() {
        SliceSource source = sliceSourceOf(mixed());

        assertThat(source.load("NOPE")).isEqualTo(ManifestationSlice.empty("NOPE"));
    }

    @Test
    public void aManifestationWithoutAlignmentsHasItsSegmentationOnly() {
        SliceSource source = sliceSourceOf(new GraphFixture()
                .segmentation("S", "S-seg", seg("s2", 5, 9), seg("s1", 0, 5))
                .pagination("S", "S-page", seg("pg", 0, 9)));

        ManifestationSlice s = source.load("S");

        assertThat(s.pairs()).isEmpty();
        assertThat(s.alignmentAnnotations()).isEmpty();
        assertThat(ids(s.segmentation())).containsExactly("s1", "s2");
    }

    private static List<String> ids(List<Segment> segments) {
        return segments.stream().map(Segment::id).toList();
    }
}
