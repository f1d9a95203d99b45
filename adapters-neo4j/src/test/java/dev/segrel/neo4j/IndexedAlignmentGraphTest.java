package dev.segrel.neo4j;

import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.testkit.graph.AlignmentGraphContract;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import org.junit.jupiter.api.AfterAll;

/** The port contract over slices loaded from the real Neo4j by {@link Neo4jSliceSource}. */
class IndexedAlignmentGraphTest extends AlignmentGraphContract {

    private static Neo4jAlignmentGraph graph;
    private static Neo4jSliceSource slices;

    @Override
    protected AlignmentGraph graphOf(GraphFixture f) {
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(f);
        if (graph == null) {
            Neo4jConfig config = Neo4jConfig.of(neo4j.boltUri(), neo4j.user(), neo4j.password());
            graph = Neo4jAlignmentGraph.connect(config);
            slices = Neo4jSliceSource.connect(config);
        }
        // a fresh in-process cache per fixture: slices of the previous graph must not answer
        return IndexedAlignmentGraph.over(graph, slices);
    }

    @AfterAll
    static void close() {
        if (graph != null) {
            graph.close();
            slices.close();
            graph = null;
        }
    }
}
