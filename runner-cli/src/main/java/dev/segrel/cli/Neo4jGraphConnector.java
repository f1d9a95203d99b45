package dev.segrel.cli;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.neo4j.Neo4jConfig;

/** Opens the Neo4j graph of {@code NEO4J_URI}, {@code NEO4J_USER}, {@code NEO4J_PASSWORD}. */
public final class Neo4jGraphConnector implements GraphConnector {

    @Override
    public ConnectedGraph connect(Settings settings) {
        Neo4jConfig config;
        try {
            config = Neo4jConfig.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, Secrets.redact(e.getMessage()), e);
        }
        Neo4jAlignmentGraph graph = Neo4jAlignmentGraph.connect(config);
        try {
            graph.verifyConnectivity();
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
        String location = "Neo4j at " + config.redactedUri();
        return new ConnectedGraph() {
            @Override
            public AlignmentGraph graph() {
                return graph;
            }

            @Override
            public String location() {
                return location;
            }

            @Override
            public void close() {
                graph.close();
            }
        };
    }
}
