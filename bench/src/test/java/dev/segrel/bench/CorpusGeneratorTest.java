package dev.segrel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.testkit.graph.GraphFixture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CorpusGeneratorTest {

    @Test
    void theSameSeedAndSizesGiveTheSameCorpus() {
        assertThat(new CorpusGenerator(7, 12, 50).generate()).isEqualTo(new CorpusGenerator(7, 12, 50).generate());
        assertThat(new CorpusGenerator(8, 12, 50).generate()).isNotEqualTo(new CorpusGenerator(7, 12, 50).generate());
    }

    @Test
    void theCanonHasRootsTranslationsCommentariesTheirTranslationsAndCycles() {
        Corpus c = new CorpusGenerator(42, 12, 20).generate();

        assertThat(c.manifestations()).extracting(Corpus.Manifestation::kind)
                .contains("root", "translation", "commentary", "commentary-translation");
        assertThat(c.segmentation(c.jobManifestation())).hasSize(20);
        // more alignments than a tree over 12 manifestations has edges: some close a cycle
        assertThat(c.annotationLinks().size()).isGreaterThan(11);
    }

    @Test
    void alignmentsAreOneToOneOneToTwoAndTwoToOne() {
        Corpus c = new CorpusGenerator(42, 6, 10).generate();
        Map<String, Long> linksPerSegment = new HashMap<>();
        c.segmentLinks().forEach(l -> linksPerSegment.merge(l.from(), 1L, Long::sum));
        Set<Long> fanOuts = Set.copyOf(linksPerSegment.values());
        Map<Integer, Long> sizes = c.annotations().stream().filter(a -> a.type().equals("alignment"))
                .collect(Collectors.groupingBy(a -> a.segments().size(), Collectors.counting()));

        assertThat(fanOuts).contains(1L, 2L);
        assertThat(sizes.keySet()).contains(5, 10, 20); // 2:1 merges, 1:1, 1:2 splits
    }

    @Test
    void theIndexOverTheCorpusAnswersAsTheReferenceInMemoryGraph() {
        Corpus c = new CorpusGenerator(42, 12, 60).generate();
        FindRelatedSegments reference = SegmentRelations.over(fixtureOf(c).toInMemoryGraph());
        FindRelatedSegments indexed = SegmentRelations.over(
                IndexedAlignmentGraph.over(fixtureOf(c).toInMemoryGraph(), new CorpusSlices(c)));

        for (Corpus.Manifestation m : List.of(c.manifestations().get(0), c.manifestations().get(7))) {
            for (Segment s : c.segmentation(m.id())) {
                Query q = new Query(m.id(), s.span(), RelationMode.SEGMENTATION);
                assertThat(indexed.mappings(q)).as("%s %s", m.id(), s).isEqualTo(reference.mappings(q));
            }
        }
        assertThat(reference.mappings(new Query(c.jobManifestation(), c.segmentation(c.jobManifestation()).get(3).span(),
                RelationMode.SEGMENTATION))).hasSize(11);
    }

    @Test
    void theSampleIsSpreadEvenlyOverTheJob() {
        List<Segment> job = new CorpusGenerator(1, 2, 100).generate().segmentation("M000-root");

        assertThat(Bench.sample(job, 4)).extracting(Segment::id).containsExactly("M000-root/s0", "M000-root/s25",
                "M000-root/s50", "M000-root/s75");
        assertThat(Bench.sample(job, 500)).hasSize(100);
    }

    static GraphFixture fixtureOf(Corpus c) {
        GraphFixture f = new GraphFixture();
        for (Corpus.Annotation a : c.annotations()) {
            f.annotation(a.manifestationId(), a.id(), GraphFixture.Type.valueOf(a.type().toUpperCase(java.util.Locale.ROOT)),
                    a.segments());
        }
        c.annotationLinks().forEach(l -> f.linkAnnotations(l.from(), l.to()));
        c.segmentLinks().forEach(l -> f.linkSegments(l.from(), l.to()));
        return f;
    }
}
