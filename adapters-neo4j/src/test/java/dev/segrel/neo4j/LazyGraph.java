package dev.segrel.neo4j;

import dev.segrel.testkit.graph.TestingNeo4j;

/** One test class's connection to the shared Neo4j: opened on first use, closed after the class. */
final class LazyGraph implements AutoCloseable {

    private Neo4jAlignmentGraph graph;

    Neo4jAlignmentGraph get() {
        if (graph == null) {
            TestingNeo4j neo4j = TestingNeo4j.get();
            graph = Neo4jAlignmentGraph.connect(Neo4jConfig.of(neo4j.boltUri(), neo4j.user(), neo4j.password()));
        }
        return graph;
    }

    @Override
    public void close() {
        if (graph != null) {
            graph.close();
            graph = null;
        }
    }
}
