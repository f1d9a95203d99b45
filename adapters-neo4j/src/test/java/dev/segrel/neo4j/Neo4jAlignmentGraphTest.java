package dev.segrel.neo4j;

import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.testkit.graph.AlignmentGraphContract;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import org.junit.jupiter.api.AfterAll;

class Neo4jAlignmentGraphTest extends AlignmentGraphContract {

    private static final LazyGraph GRAPH = new LazyGraph();

    @Override
    protected AlignmentGraph graphOf(GraphFixture f) {
        TestingNeo4j.get().load(f);
        return GRAPH.get();
    }

    @AfterAll
    static void close() {
        GRAPH.close();
    }
}
