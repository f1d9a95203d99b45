package dev.segrel.neo4j;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.SliceSource;

/**
 * Binds the Neo4j adapter: {@link Neo4jConfig} (given, or read from the bound {@link Settings} when
 * first needed), one {@link Neo4jAlignmentGraph} per injector, and the {@link SliceSource} that shares
 * its driver. Which {@link dev.segrel.core.port.out.AlignmentGraph} a runner searches (this adapter
 * level by level, or the in-memory index over the slice source, with or without a cache) is the
 * runner's composition. Closing the graph at shutdown is the runner's job too.
 */
public final class Neo4jModule extends AbstractModule {

    private final Neo4jConfig config;

    /** Reads the config from the bound {@link Settings}. */
    public Neo4jModule() {
        this.config = null;
    }

    public Neo4jModule(Neo4jConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config is null");
    }

    @Provides
    @Singleton
    Neo4jConfig neo4jConfig(Settings settings) {
        return config != null ? config : Neo4jConfig.fromSettings(settings);
    }

    @Provides
    @Singleton
    Neo4jAlignmentGraph graph(Neo4jConfig c) {
        return Neo4jAlignmentGraph.connect(c);
    }

    @Provides
    @Singleton
    SliceSource slices(Neo4jAlignmentGraph graph) {
        return Neo4jSliceSource.sharing(graph);
    }
}
