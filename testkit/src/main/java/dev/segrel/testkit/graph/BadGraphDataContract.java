package dev.segrel.testkit.graph;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.InvalidGraphDataException;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every {@link AlignmentGraph} over a real Neo4j answers when the graph stores segments whose
 * span is not one (zero-length, reversed, missing, text, past {@code int}): a search that reaches
 * such a segment fails with {@link InvalidGraphDataException} naming the segment and its
 * manifestation, and a search that does not reach it gets its usual answer. The data is corrupted
 * with Cypher after loading, as other tools would write it; the fixture types cannot hold it.
 *
 * <p>The graph: J (the job's text) aligned to N through {@code ja1} of one annotation (linked to
 * {@code na1}, {@code na2}) and to K through {@code ja2} of another (linked to {@code ka1}). From {@code J [0, 10)} the search
 * reaches N with the envelope {@code [0, 10)} and maps {@code ns1, ns2}; from {@code J [10, 20)} it
 * reaches only K and maps {@code ks1}.
 */
public abstract class BadGraphDataContract {

    /** The graph under test over what {@link TestingNeo4j} holds now (a fresh cache, if it has one). */
    protected abstract AlignmentGraph graph();

    static GraphFixture fixture() {
        return new GraphFixture()
                .segmentation("J", "J-seg", seg("j1", 0, 10), seg("j2", 10, 20))
                .alignment("J", "J-al", seg("ja1", 0, 10))
                .alignment("J", "J-al-k", seg("ja2", 10, 20))
                .segmentation("N", "N-seg", seg("ns1", 0, 5), seg("ns2", 5, 10))
                .alignment("N", "N-al", seg("na1", 0, 5), seg("na2", 5, 10))
                .segmentation("K", "K-seg", seg("ks1", 0, 10))
                .alignment("K", "K-al", seg("ka1", 0, 10))
                .linkAnnotations("J-al", "N-al")
                .linkAnnotations("J-al-k", "K-al")
                .linkSegments("ja1", "na1", "na2")
                .linkSegments("ja2", "ka1");
    }

    @BeforeEach
    void load() {
        TestingNeo4j.get().load(fixture());
    }

    /** Runs one write statement against the loaded graph. */
    protected static void corrupt(String cypher, Map<String, Object> params) {
        try (var session = TestingNeo4j.get().driver().session()) {
            session.executeWriteWithoutResult(tx -> tx.run(cypher, params).consume());
        }
    }

    protected static void set(String segmentId, String property, Object value) {
        corrupt("MATCH (s:Segment {id: $id}) SET s[$p] = $v", Map.of("id", segmentId, "p", property, "v", value));
    }

    protected static void remove(String segmentId, String property) {
        corrupt("MATCH (s:Segment {id: $id}) SET s[$p] = null", Map.of("id", segmentId, "p", property));
    }

    protected List<Mapping> search(AlignmentGraph graph, int start, int end) {
        return SegmentRelations.over(graph).mappings(new Query("J", new Span(start, end), RelationMode.SEGMENTATION));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> failsNaming(AlignmentGraph graph, String segment,
            String manifestation) {
        return assertThatThrownBy(() -> search(graph, 0, 10))
                .isInstanceOf(InvalidGraphDataException.class)
                .satisfies(e -> {
                    InvalidGraphDataException bad = (InvalidGraphDataException) e;
                    assertThat(bad.segment().segmentId()).isEqualTo(segment);
                    assertThat(bad.segment().manifestationId()).isEqualTo(manifestation);
                })
                .hasMessageContaining("segment " + segment + " of manifestation " + manifestation);
    }

    private void theOtherSearchIsAnswered(AlignmentGraph graph) {
        assertThat(search(graph, 10, 20)).containsExactly(new Mapping("K", List.of(seg("ks1", 0, 10))));
    }

    /** A zero-length span (3, 3) and a reversed one (8, 2): neither is a span, so both fail alike. */
    @ParameterizedTest(name = "span ({0}, {1})")
    @CsvSource({"3, 3", "8, 2"})
    void anEmptyOrReversedSpanFailsTheSearchesThatReachItOnly(long start, long end) {
        set("ns1", "span_start", start);
        set("ns1", "span_end", end);
        AlignmentGraph graph = graph();
        failsNaming(graph, "ns1", "N").hasMessageContaining("span_start " + start + " >= span_end " + end);
        theOtherSearchIsAnswered(graph);
    }

    @Test
    void aLinkedSegmentWithoutAStartFailsTheSearchesThatFollowTheLink() {
        remove("na2", "span_start");
        AlignmentGraph graph = graph();
        failsNaming(graph, "na2", "N").hasMessageContaining("span_start is missing");
        theOtherSearchIsAnswered(graph);
    }

    @Test
    void anOffsetPastTheIntRangeFailsTheSearchesThatReachIt() {
        set("ns2", "span_end", 3_000_000_000L);
        AlignmentGraph graph = graph();
        failsNaming(graph, "ns2", "N").hasMessageContaining("span_end 3000000000 is past the int range");
        theOtherSearchIsAnswered(graph);
    }

    @Test
    void anOffsetStoredAsTextFailsEverySearchThatReachesItsManifestation() {
        set("ns2", "span_start", "5");
        AlignmentGraph graph = graph();
        failsNaming(graph, "ns2", "N").hasMessageContaining("span_start is not an integer (STRING \"5\")");
        theOtherSearchIsAnswered(graph);
    }

    @Test
    void aFractionalOffsetIsNamedAsNotAnInteger() {
        set("ns1", "span_end", 4.5);
        AlignmentGraph graph = graph();
        failsNaming(graph, "ns1", "N").hasMessageContaining("span_end is not an integer (4.5)");
        theOtherSearchIsAnswered(graph);
    }

    @Test
    void badDataTheSearchDoesNotReachLeavesItsAnswerAsItWas() {
        // K is reached from J [10, 20) only; N's bad segment lies outside every probe of N
        set("ks1", "span_start", 4L);
        set("ks1", "span_end", 4L);
        set("na1", "span_start", 40L);
        set("na1", "span_end", 30L);
        corrupt("MATCH (s:Segment {id: 'ja1'})-[r:ALIGNED_TO]-(:Segment {id: 'na1'}) DELETE r", Map.of());
        AlignmentGraph graph = graph();
        assertThat(search(graph, 0, 10)).containsExactly(
                new Mapping("N", List.of(seg("ns2", 5, 10))));
    }

    @Test
    void wholeFloatOffsetsAreStillRead() {
        set("ns1", "span_start", 0.0);
        set("ns1", "span_end", 5.0);
        assertThat(search(graph(), 0, 10)).containsExactly(
                new Mapping("N", List.of(seg("ns1", 0, 5), seg("ns2", 5, 10))));
    }
}
