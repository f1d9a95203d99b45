package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.SliceSource;

/**
 * Binds the Neo4j adapter: {@link Neo4jConfig} and {@link Neo4jEnvironments} (given, or read from the
 * bound {@link Settings} when first needed), one {@link Neo4jAlignmentGraph} of the default graph per
 * injector, and the {@link SliceSource} that shares its driver. Which {@link
 * dev.segrel.core.port.out.AlignmentGraph} a runner searches (this adapter level by level, or the
 * in-memory index over the slice source, with or without a cache), and how it opens the environments'
 * graphs, is the runner's composition. Closing the graphs at shutdown is the runner's job too.
 */
public final class Neo4jModule extends AbstractModule {

    private final Neo4jConfig config;
    private final Neo4jEnvironments environments;

    /** Reads the configs from the bound {@link Settings}. */
    public Neo4jModule() {
        this.config = null;
        this.environments = null;
    }

    /** This default graph; the environments' graphs are read from the bound {@link Settings}. */
    public Neo4jModule(Neo4jConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.environments = null;
    }

    /** These graphs: the default one and the environments'. */
    public Neo4jModule(Neo4jEnvironments environments) {
        this.environments = requireNonNull(environments, "environments is null");
        this.config = environments.defaultGraph();
    }

    @Provides
    @Singleton
    Neo4jConfig neo4jConfig(Settings settings) {
        return config != null ? config : Neo4jConfig.fromSettings(settings);
    }

    @Provides
    @Singleton
    Neo4jEnvironments environments(Settings settings, Neo4jConfig defaultGraph) {
        return environments != null ? environments : Neo4jEnvironments.fromSettings(settings, defaultGraph);
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
