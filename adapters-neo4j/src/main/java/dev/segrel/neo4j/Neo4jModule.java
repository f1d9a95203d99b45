package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.port.out.AlignmentGraph;

/**
 * Binds {@link AlignmentGraph} to one {@link Neo4jAlignmentGraph} per injector. Closing it at
 * shutdown is the runner's job (inject {@link Neo4jAlignmentGraph} to get at it).
 */
public final class Neo4jModule extends AbstractModule {

    private final Neo4jConfig config;

    public Neo4jModule(Neo4jConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(Neo4jConfig.class).toInstance(config);
        bind(AlignmentGraph.class).to(Neo4jAlignmentGraph.class);
    }

    @Provides
    @Singleton
    Neo4jAlignmentGraph graph(Neo4jConfig c) {
        return Neo4jAlignmentGraph.connect(c);
    }
}
