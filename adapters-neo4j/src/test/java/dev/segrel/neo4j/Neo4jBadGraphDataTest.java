package dev.segrel.neo4j;

import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.testkit.graph.BadGraphDataContract;
import dev.segrel.testkit.graph.TestingNeo4j;
import org.junit.jupiter.api.AfterAll;

/** Bad graph data through the level-by-level queries ({@code SEGREL_GRAPH_INDEX=false}). */
class Neo4jBadGraphDataTest extends BadGraphDataContract {

    private static Neo4jAlignmentGraph graph;

    @Override
    protected AlignmentGraph graph() {
        if (graph == null) {
            TestingNeo4j neo4j = TestingNeo4j.get();
            graph = Neo4jAlignmentGraph.connect(Neo4jConfig.of(neo4j.boltUri(), neo4j.user(), neo4j.password()));
        }
        return graph;
    }

    @AfterAll
    static void close() {
        if (graph != null) {
            graph.close();
            graph = null;
        }
    }
}
