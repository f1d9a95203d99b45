package dev.segrel.testkit.graph;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraph.AlignedPair;
import dev.segrel.core.port.out.AlignmentGraph.Probe;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AlignmentGraph} must answer, checked through the related-segments search and
 * directly at the port. Every expected answer below was worked out by hand from the reference
 * semantics of docs/architecture.md (the derivation is in the comments), not taken from an
 * implementation.
 *
 * <p>Subclasses turn a fixture into the graph under test.
 */
public abstract class AlignmentGraphContract {

    /** The graph under test holding exactly the fixture's data. */
    protected abstract AlignmentGraph graphOf(GraphFixture f);

    // ---- fixtures -------------------------------------------------------------------------------

    /**
     * A -> B -> C. Links are stored A->B and B->C only, so walking from C uses them backwards.
     */
    static GraphFixture chain() {
        return new GraphFixture()
                .manifestation("A", "E-A")
                .segmentation("A", "A-seg", seg("a1", 0, 10), seg("a2", 10, 20), seg("a3", 20, 30))
                .alignment("A", "A-al", seg("ax1", 0, 10), seg("ax2", 10, 30))
                .segmentation("B", "B-seg", seg("b1", 0, 5), seg("b2", 5, 12), seg("b3", 12, 20), seg("b4", 20, 40))
                .alignment("B", "B-al", seg("bx1", 0, 12), seg("bx2", 12, 40))
                .alignment("B", "B-al2", seg("by1", 0, 6), seg("by2", 6, 20), seg("by3", 20, 40))
                .segmentation("C", "C-seg", seg("c1", 0, 3), seg("c2", 3, 9), seg("c3", 9, 15), seg("c4", 15, 50))
                .alignment("C", "C-al", seg("cx1", 0, 9), seg("cx2", 9, 50))
                .linkAnnotations("A-al", "B-al")
                .linkSegments("ax1", "bx1")
                .linkSegments("ax2", "bx2")
                .linkAnnotations("B-al2", "C-al")
                .linkSegments("by1", "cx1")
                .linkSegments("by2", "cx2")
                .linkSegments("by3", "cx2");
    }

    /** A 1:n to B on one side and n:1 on the other (the n:1 links stored from B to A). */
    static GraphFixture oneToMany() {
        return new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10), seg("a2", 10, 20))
                .alignment("A", "A-al", seg("x1", 0, 10), seg("x2", 10, 20))
                .segmentation("B", "B-seg", seg("b1", 0, 4), seg("b2", 4, 8), seg("b3", 8, 12), seg("b4", 12, 20),
                        seg("b5", 20, 30))
                .alignment("B", "B-al", seg("y1", 0, 4), seg("y2", 4, 8), seg("y3", 8, 12), seg("y4", 12, 30))
                .linkAnnotations("A-al", "B-al")
                .linkSegments("x1", "y1", "y2")
                .linkSegments("y3", "x2")
                .linkSegments("y4", "x2");
    }

    // ---- the search over the graph ----------------------------------------------------------------

    @Test
    void aDirectAndAnIndirectManifestationAreReachedInDiscoveryOrder() {
        AlignmentGraph graph = graphOf(chain());

        // level 0, (A,[0,10)): pair (A-al,B-al); ax1 overlaps, ax2 [10,30) does not; linked {bx1 [0,12)}
        //   E=[0,12) -> B: b1 [0,5), b2 [5,12) (b3 starts at 12: no overlap)
        // level 1, (B,[0,12)): (B-al,A-al) used; (B-al2,C-al): by1, by2 overlap -> {cx1 [0,9), cx2 [9,50)}
        //   E=[0,50) -> C: c1..c4
        // level 2, (C,[0,50)): (C-al,B-al2) used -> done
        assertThat(mappings(graph, "A", 0, 10)).containsExactly(
                mapping("B", seg("b1", 0, 5), seg("b2", 5, 12)),
                mapping("C", seg("c1", 0, 3), seg("c2", 3, 9), seg("c3", 9, 15), seg("c4", 15, 50)));
    }

    @Test
    void theEnvelopeOfEachLevelNarrowsWhatTheNextLevelReaches() {
        AlignmentGraph graph = graphOf(chain());

        // (A,[10,20)): ax2 overlaps -> {bx2 [12,40)} E=[12,40) -> B: b3 [12,20), b4 [20,40)
        // (B,[12,40)): B-al2: by2 [6,20), by3 [20,40) -> {cx2} E=[9,50) -> C: c3 [9,15), c4 [15,50)
        assertThat(mappings(graph, "A", 10, 20)).containsExactly(
                mapping("B", seg("b3", 12, 20), seg("b4", 20, 40)),
                mapping("C", seg("c3", 9, 15), seg("c4", 15, 50)));
    }

    @Test
    void linksStoredInTheOtherDirectionAreFollowedToo() {
        AlignmentGraph graph = graphOf(chain());

        // (C,[0,3)): (C-al,B-al2): cx1 [0,9) overlaps -> {by1 [0,6)} E=[0,6) -> B: b1 [0,5), b2 [5,12)
        // (B,[0,6)): pairs in order (B-al,A-al), (B-al2,C-al) [used]; bx1 [0,12) -> {ax1 [0,10)}
        //   E=[0,10) -> A: a1 [0,10)
        assertThat(mappings(graph, "C", 0, 3)).containsExactly(
                mapping("B", seg("b1", 0, 5), seg("b2", 5, 12)),
                mapping("A", seg("a1", 0, 10)));
    }

    @Test
    void aCycleOfAlignmentsEndsWithEveryManifestationOnce() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-s", seg("a1", 0, 10), seg("a2", 10, 20))
                .alignment("A", "A-ab", seg("ab1", 0, 20))
                .alignment("A", "A-ca", seg("ac1", 0, 20))
                .segmentation("B", "B-s", seg("b1", 0, 8), seg("b2", 8, 16))
                .alignment("B", "B-ab", seg("ba1", 0, 16))
                .alignment("B", "B-bc", seg("bc1", 0, 16))
                .segmentation("C", "C-s", seg("c1", 0, 30))
                .alignment("C", "C-bc", seg("cb1", 0, 30))
                .alignment("C", "C-ca", seg("ca1", 0, 30))
                .linkAnnotations("A-ab", "B-ab").linkSegments("ab1", "ba1")
                .linkAnnotations("B-bc", "C-bc").linkSegments("bc1", "cb1")
                .linkAnnotations("C-ca", "A-ca").linkSegments("ca1", "ac1");
        AlignmentGraph graph = graphOf(f);

        // (A,[0,5)): (A-ab,B-ab) -> {ba1 [0,16)} -> B: b1, b2; (A-ca,C-ca) -> {ca1 [0,30)} -> C: c1
        // (B,[0,16)): (B-ab,A-ab) used; (B-bc,C-bc) reaches C, already visited
        // (C,[0,30)): (C-bc,B-bc) reaches B, visited; (C-ca,A-ca) used -> done
        assertThat(mappings(graph, "A", 0, 5)).containsExactly(
                mapping("B", seg("b1", 0, 8), seg("b2", 8, 16)),
                mapping("C", seg("c1", 0, 30)));
    }

    @Test
    void oneSegmentAlignedToManyReachesAllOfThem() {
        AlignmentGraph graph = graphOf(oneToMany());

        // (A,[0,10)): x1 -> {y1 [0,4), y2 [4,8)} E=[0,8) -> B: b1 [0,4), b2 [4,8)
        assertThat(mappings(graph, "A", 0, 10)).containsExactly(
                mapping("B", seg("b1", 0, 4), seg("b2", 4, 8)));
        // (A,[5,15)): x1, x2 -> {y1, y2, y3 [8,12), y4 [12,30)} E=[0,30) -> B: b1..b5
        assertThat(mappings(graph, "A", 5, 15)).containsExactly(
                mapping("B", seg("b1", 0, 4), seg("b2", 4, 8), seg("b3", 8, 12), seg("b4", 12, 20), seg("b5", 20, 30)));
    }

    @Test
    void manySegmentsAlignedToOneReachOnlyIt() {
        AlignmentGraph graph = graphOf(oneToMany());

        // (B,[8,12)): y3 -> {x2 [10,20)} E=[10,20) -> A: a2
        assertThat(mappings(graph, "B", 8, 12)).containsExactly(mapping("A", seg("a2", 10, 20)));
        // (B,[0,30)): y1..y4 -> {x1, x2} (x2 once) E=[0,20) -> A: a1, a2
        assertThat(mappings(graph, "B", 0, 30)).containsExactly(
                mapping("A", seg("a1", 0, 10), seg("a2", 10, 20)));
    }

    @Test
    void theAlignmentModeListsTheAlignedSegmentsThemselves() {
        AlignmentGraph graph = graphOf(oneToMany());

        // (A,[5,15)) in ALIGNMENT mode: B's mapping is B itself: y1..y4, by start
        assertThat(mappings(graph, "A", 5, 15, RelationMode.ALIGNMENT)).containsExactly(
                mapping("B", seg("y1", 0, 4), seg("y2", 4, 8), seg("y3", 8, 12), seg("y4", 12, 30)));
        // chain, (A,[0,10)): B = {bx1 [0,12)}; then (B,[0,12)) reaches C with {cx1 [0,9), cx2 [9,50)}
        assertThat(mappings(graphOf(chain()), "A", 0, 10, RelationMode.ALIGNMENT)).containsExactly(
                mapping("B", seg("bx1", 0, 12)),
                mapping("C", seg("cx1", 0, 9), seg("cx2", 9, 50)));
    }

    @Test
    void aReachedManifestationWithoutOverlappingSegmentationSegmentsStillGetsAnEmptyMapping() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10))
                .alignment("A", "A-al", seg("x1", 0, 10))
                .alignment("A", "A-al2", seg("w1", 0, 10))
                .segmentation("B", "B-seg", seg("b1", 50, 60))
                .alignment("B", "B-al", seg("y1", 0, 10))
                .alignment("C", "C-al", seg("z1", 0, 5)) // C has no segmentation at all
                .linkAnnotations("A-al", "B-al").linkSegments("x1", "y1")
                .linkAnnotations("A-al2", "C-al").linkSegments("w1", "z1");
        AlignmentGraph graph = graphOf(f);

        // (A,[0,10)): (A-al,B-al) -> E=[0,10), B's b1 [50,60) does not overlap -> B: []
        //             (A-al2,C-al) -> E=[0,5), C has no segmentation -> C: []
        assertThat(mappings(graph, "A", 0, 10)).containsExactly(mapping("B"), mapping("C"));
    }

    @Test
    void ofTwoRoutesToOneManifestationThePairFirstInIdOrderWins() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10))
                // added first, but "A-al-2" sorts after "A-al-1"
                .alignment("A", "A-al-2", seg("w1", 0, 10))
                .alignment("A", "A-al-1", seg("x1", 0, 10))
                .segmentation("B", "B-seg", seg("b1", 0, 5), seg("b2", 5, 20), seg("b3", 20, 30))
                .alignment("B", "B-al-1", seg("v1", 0, 5))
                .alignment("B", "B-al-2", seg("y1", 20, 30))
                .linkAnnotations("A-al-2", "B-al-1").linkSegments("w1", "v1")
                .linkAnnotations("A-al-1", "B-al-2").linkSegments("x1", "y1");
        AlignmentGraph graph = graphOf(f);

        // pairs in order: (A-al-1,B-al-2) -> {y1 [20,30)} -> B: b3; (A-al-2,B-al-1) reaches visited B
        assertThat(mappings(graph, "A", 0, 10)).containsExactly(mapping("B", seg("b3", 20, 30)));
    }

    @Test
    void ofTwoRoutesInOneLevelTheProbeEarlierInTheQueueWins() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10))
                .alignment("A", "A-al-b", seg("ab", 0, 10))
                .alignment("A", "A-al-c", seg("ac", 0, 10))
                .segmentation("B", "B-seg", seg("b1", 0, 10))
                .alignment("B", "B-al-a", seg("ba", 0, 10))
                .alignment("B", "Z-al-d", seg("bd", 0, 10)) // sorts after C's pair, yet B is popped first
                .segmentation("C", "C-seg", seg("c1", 0, 10))
                .alignment("C", "C-al-a", seg("ca", 0, 10))
                .alignment("C", "C-al-d", seg("cd", 0, 10))
                .segmentation("D", "D-seg", seg("d1", 0, 10), seg("d2", 10, 20))
                .alignment("D", "D-al-b", seg("db", 0, 10))
                .alignment("D", "D-al-c", seg("dc", 10, 20))
                .linkAnnotations("A-al-b", "B-al-a").linkSegments("ab", "ba")
                .linkAnnotations("A-al-c", "C-al-a").linkSegments("ac", "ca")
                .linkAnnotations("Z-al-d", "D-al-b").linkSegments("bd", "db")
                .linkAnnotations("C-al-d", "D-al-c").linkSegments("cd", "dc");
        AlignmentGraph graph = graphOf(f);

        // (A,[0,10)): (A-al-b,B-al-a) -> B: b1, E=[0,10); (A-al-c,C-al-a) -> C: c1, E=[0,10)
        // queue: B then C. (B,[0,10)): (B-al-a,A-al-b) used; (Z-al-d,D-al-b) -> {db [0,10)} -> D: d1
        // (C,[0,10)): (C-al-a,A-al-c) used; (C-al-d,D-al-c) reaches visited D
        assertThat(mappings(graph, "A", 0, 10)).containsExactly(
                mapping("B", seg("b1", 0, 10)), mapping("C", seg("c1", 0, 10)), mapping("D", seg("d1", 0, 10)));
    }

    @Test
    void alignedSegmentsAreNotRestrictedToTheTargetAnnotation() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10))
                .alignment("A", "A-al", seg("x1", 0, 10))
                .segmentation("B", "B-seg", seg("b1", 0, 5), seg("b2", 5, 20), seg("b3", 20, 30), seg("b4", 30, 40))
                .alignment("B", "B-k", seg("k1", 30, 40))
                .alignment("B", "B-j", seg("j1", 0, 5))
                .linkAnnotations("A-al", "B-k").linkAnnotations("A-al", "B-j")
                .linkSegments("x1", "k1", "j1");
        AlignmentGraph graph = graphOf(f);

        // (A,[0,10)): pairs (A-al,B-j), (A-al,B-k); for the first, B = {j1 [0,5), k1 [30,40)} (k1 is
        // B-k's, still counted) -> E=[0,40) -> B: b1..b4; the second pair reaches visited B
        assertThat(mappings(graph, "A", 0, 10)).containsExactly(
                mapping("B", seg("b1", 0, 5), seg("b2", 5, 20), seg("b3", 20, 30), seg("b4", 30, 40)));
    }

    @Test
    void aManifestationWithoutAlignmentsReachesNothing() {
        GraphFixture f = chain().segmentation("LONE", "LONE-seg", seg("l1", 0, 10));
        AlignmentGraph graph = graphOf(f);

        assertThat(mappings(graph, "LONE", 0, 10)).isEmpty();
        assertThat(SegmentRelations.over(graph).find(Query.of("LONE", 0, 10)))
                .isEqualTo(new FindRelatedSegments.Related(List.of()));
        assertThat(SegmentRelations.over(graph).find(Query.of("NOPE", 0, 10)))
                .isEqualTo(new FindRelatedSegments.UnknownManifestation("NOPE"));
    }

    @Test
    void aSpanThatTouchesNoAlignedSegmentReachesNothing() {
        AlignmentGraph graph = graphOf(chain());

        // A-al covers [0,30); [30,40) only touches its end, and spans are half-open
        assertThat(mappings(graph, "A", 30, 40)).isEmpty();
        // (B,[12,13)): bx1 [0,12) only touches it; (B-al,A-al): bx2 [12,40) -> {ax2 [10,30)} -> A: a2, a3
        // (B-al2,C-al): by2 [6,20) -> {cx2 [9,50)} -> C: c3, c4
        assertThat(mappings(graph, "B", 12, 13)).containsExactly(
                mapping("A", seg("a2", 10, 20), seg("a3", 20, 30)),
                mapping("C", seg("c3", 9, 15), seg("c4", 15, 50)));
    }

    @Test
    void idsWithQuotesBackslashesAndUnicodeSurviveTheRoundTrip() {
        String m1 = "M'1 \"quoted\"";
        String m2 = "M\\2 `tick` ;/* é 文 😀";
        GraphFixture f = new GraphFixture()
                .manifestation(m1, "E'x")
                .segmentation(m1, "seg'1", seg("s'1", 0, 10))
                .alignment(m1, "al\\1", seg("x\"1", 0, 10))
                .segmentation(m2, "seg\\2", seg("ß😀 2", 0, 7), seg("s\\2'b", 7, 20), seg("—", 20, 30))
                .alignment(m2, "al'2 // not a comment", seg("y`1", 3, 25))
                .linkAnnotations("al\\1", "al'2 // not a comment")
                .linkSegments("x\"1", "y`1");
        AlignmentGraph graph = graphOf(f);

        // (m1,[0,10)): x"1 -> {y`1 [3,25)} -> m2: segments overlapping [3,25): [0,7), [7,20), [20,30)
        assertThat(mappings(graph, m1, 0, 10)).containsExactly(
                mapping(m2, seg("ß😀 2", 0, 7), seg("s\\2'b", 7, 20), seg("—", 20, 30)));
        assertThat(graph.manifestationExists(m2)).isTrue();
        assertThat(graph.segmentsOf(m1, SegmentSource.SEGMENTATION)).containsExactly(seg("s'1", 0, 10));
    }

    @Test
    void alignedToStoredInBothDirectionsGivesNoDuplicates() {
        GraphFixture f = oneToMany()
                .linkAnnotations("B-al", "A-al")
                .linkSegments("y1", "x1")
                .linkSegments("x2", "y3");
        AlignmentGraph graph = graphOf(f);

        // as oneToMany: (A,[5,15)) -> B: b1..b5, B once
        assertThat(mappings(graph, "A", 5, 15)).containsExactly(
                mapping("B", seg("b1", 0, 4), seg("b2", 4, 8), seg("b3", 8, 12), seg("b4", 12, 20), seg("b5", 20, 30)));
        List<AlignedPair> pairs = graph.alignedSegments(List.of(probe("A", 0, 10))).get(0);
        assertThat(pairs).hasSize(1);
        assertThat(pairs.get(0).sourceAnnotationId()).isEqualTo("A-al");
        assertThat(pairs.get(0).targetAnnotationId()).isEqualTo("B-al");
        assertThat(pairs.get(0).targetManifestationId()).isEqualTo("B");
        assertThat(pairs.get(0).linkedSegments()).containsOnly(seg("y1", 0, 4), seg("y2", 4, 8));
    }

    // ---- the port directly ----------------------------------------------------------------------

    @Test
    void segmentsOfListsSegmentationOrPaginationSegmentsByStartThenId() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-seg", seg("s3", 20, 30), seg("s1", 0, 10), seg("s2b", 10, 15))
                .segmentation("A", "A-seg-more", seg("s2a", 10, 20))
                .pagination("A", "A-pages", seg("p2", 50, 100), seg("p1", 0, 50))
                .alignment("A", "A-al", seg("x", 0, 100));
        AlignmentGraph graph = graphOf(f);

        assertThat(graph.segmentsOf("A", SegmentSource.SEGMENTATION)).containsExactly(
                seg("s1", 0, 10), seg("s2a", 10, 20), seg("s2b", 10, 15), seg("s3", 20, 30));
        assertThat(graph.segmentsOf("A", SegmentSource.PAGINATION)).containsExactly(seg("p1", 0, 50), seg("p2", 50, 100));
        assertThat(graph.segmentsOf("NOPE", SegmentSource.SEGMENTATION)).isEmpty();
        assertThat(graph.segmentsOf("A", SegmentSource.PAGINATION)).doesNotContain(seg("x", 0, 100));
    }

    @Test
    void manifestationExistsOnlyForManifestationsInTheGraph() {
        AlignmentGraph graph = graphOf(chain());

        assertThat(graph.manifestationExists("A")).isTrue();
        assertThat(graph.manifestationExists("C")).isTrue();
        assertThat(graph.manifestationExists("E-A")).isFalse(); // an expression, not a manifestation
        assertThat(graph.manifestationExists("a1")).isFalse();
        assertThat(graph.manifestationExists("nope")).isFalse();
    }

    @Test
    void alignedSegmentsAnswersOneListPerProbeInProbeOrder() {
        AlignmentGraph graph = graphOf(chain());

        List<List<AlignedPair>> answers = graph.alignedSegments(List.of(
                probe("B", 0, 12), probe("NOPE", 0, 1), probe("A", 30, 40), probe("A", 0, 10)));

        assertThat(answers).hasSize(4);
        // B has two alignment annotations: (B-al,A-al) with bx1 -> {ax1}, (B-al2,C-al) with by1, by2 -> {cx1, cx2}
        assertThat(answers.get(0)).extracting(p -> p.sourceAnnotationId() + "->" + p.targetAnnotationId() + "@"
                        + p.targetManifestationId())
                .containsExactlyInAnyOrder("B-al->A-al@A", "B-al2->C-al@C");
        assertThat(linked(answers.get(0), "B-al")).containsOnly(seg("ax1", 0, 10));
        assertThat(linked(answers.get(0), "B-al2")).containsOnly(seg("cx1", 0, 9), seg("cx2", 9, 50));
        assertThat(answers.get(1)).isEmpty();
        // the pair is listed even when no segment of a overlaps the span
        assertThat(answers.get(2)).singleElement().satisfies(p -> {
            assertThat(p.targetAnnotationId()).isEqualTo("B-al");
            assertThat(p.linkedSegments()).isEmpty();
        });
        assertThat(linked(answers.get(3), "A-al")).containsOnly(seg("bx1", 0, 12));
        assertThat(graph.alignedSegments(List.of())).isEmpty();
    }

    @Test
    void segmentationSegmentsAnswersOneListPerProbeInProbeOrder() {
        AlignmentGraph graph = graphOf(chain());

        List<List<Segment>> answers = graph.segmentationSegments(List.of(
                probe("C", 9, 16), probe("NOPE", 0, 1), probe("A", 10, 11), probe("C", 3, 9)));

        assertThat(answers).hasSize(4);
        assertThat(answers.get(0)).containsExactlyInAnyOrder(seg("c3", 9, 15), seg("c4", 15, 50));
        assertThat(answers.get(1)).isEmpty();
        assertThat(answers.get(2)).containsExactly(seg("a2", 10, 20));
        assertThat(answers.get(3)).containsExactly(seg("c2", 3, 9));
        assertThat(graph.segmentationSegments(List.of())).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    protected static List<Mapping> mappings(AlignmentGraph graph, String manifestation, int start, int end) {
        return mappings(graph, manifestation, start, end, RelationMode.SEGMENTATION);
    }

    protected static List<Mapping> mappings(AlignmentGraph graph, String manifestation, int start, int end,
            RelationMode mode) {
        return SegmentRelations.over(graph).mappings(new Query(manifestation, new Span(start, end), mode));
    }

    protected static Mapping mapping(String manifestation, Segment... segments) {
        return new Mapping(manifestation, List.of(segments));
    }

    protected static Probe probe(String manifestation, int start, int end) {
        return new Probe(manifestation, new Span(start, end));
    }

    private static List<Segment> linked(List<AlignedPair> pairs, String sourceAnnotation) {
        return pairs.stream().filter(p -> p.sourceAnnotationId().equals(sourceAnnotation))
                .flatMap(p -> p.linkedSegments().stream()).toList();
    }
}
