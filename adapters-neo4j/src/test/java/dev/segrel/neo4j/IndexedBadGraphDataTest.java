package dev.segrel.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.InvalidGraphDataException;
import dev.segrel.testkit.graph.BadGraphDataContract;
import dev.segrel.testkit.graph.TestingNeo4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Bad graph data through slices loaded by {@link Neo4jSliceSource} ({@code SEGREL_GRAPH_INDEX=true}). */
class IndexedBadGraphDataTest extends BadGraphDataContract {

    private static Neo4jAlignmentGraph graph;
    private static Neo4jSliceSource slices;

    @Override
    protected IndexedAlignmentGraph graph() {
        if (graph == null) {
            TestingNeo4j neo4j = TestingNeo4j.get();
            Neo4jConfig config = Neo4jConfig.of(neo4j.boltUri(), neo4j.user(), neo4j.password());
            graph = Neo4jAlignmentGraph.connect(config);
            slices = Neo4jSliceSource.sharing(graph);
        }
        return IndexedAlignmentGraph.over(graph, slices);
    }

    @Test
    void aSliceWithBadDataIsLoadedOnceAndFailsEachSearchThatReachesIt() {
        set("ns1", "span_start", 3L);
        set("ns1", "span_end", 3L);
        IndexedAlignmentGraph indexed = graph();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> search(indexed, 0, 10)).isInstanceOf(InvalidGraphDataException.class);
            assertThat(search(indexed, 10, 20)).hasSize(1);
        }
        // J, N and K once each: no reload per failing search
        assertThat(indexed.slices().loads()).isEqualTo(3);
        assertThat(indexed.slices().hits()).isGreaterThanOrEqualTo(2 * 20 - 3);
    }

    @Test
    void aLinkedSegmentWithoutAStartDoesNotFailTheLoadOfTheTextLinkingToIt() {
        remove("na2", "span_start");
        AlignmentGraph indexed = graph();
        // J's slice holds the bad link as a defect: the load succeeds, the search through ja2 is answered
        assertThat(search(indexed, 10, 20)).hasSize(1);
        assertThat(slices.load("J").defects().isEmpty()).isFalse();
    }

    @AfterAll
    static void close() {
        if (graph != null) {
            graph.close();
            graph = null;
        }
    }
}
