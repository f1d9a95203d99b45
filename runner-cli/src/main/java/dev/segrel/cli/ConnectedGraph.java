package dev.segrel.cli;

import dev.segrel.core.port.out.AlignmentGraph;

/** An alignment graph a command has opened, and must close. */
public interface ConnectedGraph extends AutoCloseable {

    AlignmentGraph graph();

    /** Where the graph is, safe to show (no password), e.g. {@code Neo4j at bolt://host:7687}. */
    String location();

    @Override
    void close();
}
