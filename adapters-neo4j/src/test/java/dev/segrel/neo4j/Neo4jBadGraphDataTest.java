package dev.segrel.neo4j;

import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.testkit.graph.BadGraphDataContract;
import org.junit.jupiter.api.AfterAll;

/** Bad graph data through the level-by-level queries ({@code SEGREL_GRAPH_INDEX=false}). */
class Neo4jBadGraphDataTest extends BadGraphDataContract {

    private static final LazyGraph GRAPH = new LazyGraph();

    @Override
    protected AlignmentGraph graph() {
        return GRAPH.get();
    }

    @AfterAll
    static void close() {
        GRAPH.close();
    }
}
