package dev.segrel.neo4j;

import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.testkit.graph.AlignmentGraphContract;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import org.junit.jupiter.api.AfterAll;

class Neo4jAlignmentGraphTest extends AlignmentGraphContract {

    private static Neo4jAlignmentGraph graph;

    @Override
    protected AlignmentGraph graphOf(GraphFixture f) {
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(f);
        if (graph == null) {
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
