package dev.segrel.neo4j;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.testkit.graph.FixtureSliceSource;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Span;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.SliceSource;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.SliceSourceContract;
import dev.segrel.testkit.graph.TestingNeo4j;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Neo4jSliceSourceTest extends SliceSourceContract {

    @Override
    protected SliceSource sliceSourceOf(GraphFixture fixture) {
        TestingNeo4j.get().load(fixture);
        return slices;
    }


    private static Neo4jAlignmentGraph graph;
    private static Neo4jSliceSource slices;

    @BeforeAll
    static void connect() {
        TestingNeo4j neo4j = TestingNeo4j.get();
        Neo4jConfig config = Neo4jConfig.of(neo4j.boltUri(), neo4j.user(), neo4j.password());
        graph = Neo4jAlignmentGraph.connect(config);
        slices = Neo4jSliceSource.connect(config);
    }

    @AfterAll
    static void close() {
        graph.close();
        slices.close();
    }

    /** A 1:n, an n:1, links stored both ways, a dangling annotation link and a second segmentation. */
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
    void oneQueryLoadsTheSameSliceAsTheFixtureDescribes() {
        GraphFixture f = mixed();
        TestingNeo4j.get().load(f);
        FixtureSliceSource expected = new FixtureSliceSource(f);
        long before = slices.roundTrips();

        for (String m : List.of("A", "B", "C", "NOPE")) {
            assertThat(slices.load(m)).as(m).isEqualTo(expected.load(m));
        }

        assertThat(slices.roundTrips() - before).isEqualTo(4);
        assertThat(slices.load("A").segmentation()).extracting(s -> s.id()).containsExactly("a0", "a1", "a2");
    }

    @Test
    void theIndexAnswersEverySpanAsThePlainAdapterDoes() {
        GraphFixture f = mixed();
        TestingNeo4j.get().load(f);
        IndexedAlignmentGraph indexed = IndexedAlignmentGraph.over(graph, slices);

        int[][] spans = {{0, 1}, {0, 30}, {3, 9}, {9, 11}, {12, 25}, {24, 30}};
        for (String m : List.of("A", "B", "C")) {
            for (int[] span : spans) {
                Query q = new Query(m, new Span(span[0], span[1]), dev.segrel.core.domain.RelationMode.SEGMENTATION);
                assertThat(SegmentRelations.over(indexed).mappings(q)).as("%s %s", m, q.span())
                        .isEqualTo(SegmentRelations.over(graph).mappings(q));
            }
        }
        assertThat(indexed.slices().loads()).isEqualTo(3);
    }
}
