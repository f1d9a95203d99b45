package dev.segrel.testkit.oracle;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InMemoryAlignmentGraph;
import dev.segrel.testkit.graph.ThreeTextCanon;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle against closed-form answers, and against core over the whole canon (a divergence shows in either). */
class ReferenceRelationsTest {

    @Test
    void theCanonsRootSegmentsReachTheTranslationAndTheCommentaryInClosedForm() {
        ReferenceRelations oracle = ReferenceRelations.of(ThreeTextCanon.of(10));

        for (int i = 0; i < 10; i++) {
            assertThat(oracle.mappings("R", i * 10, i * 10 + 10)).as("r" + i).containsExactly(
                    new Mapping("T", List.of(Segment.of("t" + i, i * 12, i * 12 + 12))),
                    new Mapping("C", List.of(Segment.of("c" + (i / 2), (i / 2) * 30, (i / 2) * 30 + 30))));
        }
    }

    @Test
    void usedPairsVisitedTextsEmptyMappingsAndPairOrderFollowDesignSectionThree() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10))
                .alignment("A", "A-al2", seg("A-y", 0, 10))
                .alignment("A", "A-al1", seg("A-x", 0, 10))
                // B reached through A-al1 (sorted first), again through A-al2: the second is skipped (visited)
                .segmentation("B", "B-seg", seg("b2", 5, 9), seg("b1", 5, 9), seg("b0", 0, 4))
                .alignment("B", "B-al", seg("B-x", 4, 10))
                .alignment("B", "B-al-b", seg("B-y", 0, 2))
                // C: a segmentation that nothing overlaps, still emitted, empty
                .segmentation("C", "C-seg", seg("c9", 50, 60))
                .alignment("C", "C-al", seg("C-x", 0, 5))
                .linkAnnotations("B-al", "A-al1") // stored the other way round: matched undirected
                .linkAnnotations("A-al2", "B-al-b")
                .linkAnnotations("B-al", "C-al")
                .linkSegments("B-x", "A-x")
                .linkSegments("A-y", "B-y")
                .linkSegments("C-x", "B-x");
        ReferenceRelations oracle = ReferenceRelations.of(f);

        List<Mapping> answer = oracle.mappings("A", 0, 10);

        // A-al1 ↔ B-al gives envelope [4,10): b1, b2 (same start: by id); from B, (B-al, A-al1) is used and
        // (B-al, C-al) reaches C: envelope [0,5) overlaps no C segment
        assertThat(answer).containsExactly(
                new Mapping("B", List.of(Segment.of("b1", 5, 9), Segment.of("b2", 5, 9))),
                new Mapping("C", List.of()));
        assertThat(answer).isEqualTo(core(f, "A", new Span(0, 10)));
    }

    @Test
    void theOracleAgreesWithCoreForEverySegmentOfEveryTextOfTheCanonAndOfShiftedCanons() {
        int compared = 0;
        for (int shift : new int[] {0, 1, 7}) {
            GraphFixture f = ThreeTextCanon.of(40, shift);
            ReferenceRelations oracle = ReferenceRelations.of(f);
            FindRelatedSegments direct = SegmentRelations.over(InMemoryAlignmentGraph.of(f));
            for (GraphFixture.Annotation a : f.annotations()) {
                for (Segment s : a.segments()) {
                    List<Mapping> expected = oracle.mappings(a.manifestationId(), s.span().start(), s.span().end());
                    assertThat(direct.mappings(new FindRelatedSegments.Query(a.manifestationId(), s.span(),
                            RelationMode.SEGMENTATION)))
                            .as("shift %d, %s %s", shift, a.id(), s).isEqualTo(expected);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(600);
    }

    @Test
    void theCanonsExpectedAnswersAreNonTrivialAndTheGuardRejectsTrivialOnes() {
        ReferenceRelations oracle = ReferenceRelations.of(ThreeTextCanon.of(20));
        List<List<Mapping>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(oracle.mappings("R", i * 10, i * 10 + 10));
        }

        NonTrivialAnswers.require(answers, 20);
        assertThatThrownBy(() -> NonTrivialAnswers.require(List.of(List.of()), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("empty");
        List<List<Mapping>> oneLevel = answers.stream().map(a -> a.subList(0, 1)).toList();
        assertThatThrownBy(() -> NonTrivialAnswers.require(oneLevel, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two levels");
    }

    private static List<Mapping> core(GraphFixture f, String m, Span span) {
        return SegmentRelations.over(InMemoryAlignmentGraph.of(f))
                .mappings(new FindRelatedSegments.Query(m, span, RelationMode.SEGMENTATION));
    }
}
