package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.SliceSource;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.dragonfly.CacheKeys;
import dev.segrel.dragonfly.RedisCache;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.neo4j.Neo4jEnvironments;
import dev.segrel.neo4j.Neo4jModule;
import dev.segrel.neo4j.Neo4jSliceSource;
import java.time.Clock;
import java.util.Optional;

/**
 * The graphs the worker searches. {@link AlignmentGraph}, the default graph: the Neo4j adapter
 * behind the in-memory alignment index (each manifestation loaded once, in one query, then answered
 * from sorted arrays), with Dragonfly as a shared second-level cache of the index's slices when
 * {@code DRAGONFLY_URL} is set; with {@code SEGREL_GRAPH_INDEX=false} the search queries Neo4j level
 * by level instead (cached in Dragonfly when configured). {@link AlignmentGraphs}: the default graph
 * and, opened on first use, one graph per environment configured with {@code <ENV>_NEO4J_URI}, each
 * built the same way over its own driver ({@link EnvironmentGraphs}).
 *
 * <p>In the worker (configs given), the default bound of the in-memory index is split evenly between
 * the default graph and the environments' ({@link GraphStack#indexMaxWeightFor}).
 */
public final class GraphModule extends AbstractModule {

    private final Neo4jEnvironments neo4j;
    private final GraphConfig given;
    private final Clock clock;

    /** The worker's: configs read with every other one at start. */
    GraphModule(Neo4jEnvironments neo4j, GraphConfig config, Clock clock) {
        this.neo4j = requireNonNull(neo4j, "neo4j is null");
        this.given = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** An operator command's: configs read from the bound {@link Settings} when the graph is first needed. */
    public GraphModule(Clock clock) {
        this.neo4j = null;
        this.given = null;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    protected void configure() {
        install(neo4j != null ? new Neo4jModule(neo4j) : new Neo4jModule());
    }

    @Provides
    @Singleton
    GraphConfig graphConfig(Settings settings) {
        if (given != null) {
            return given;
        }
        return ConfigReader.readOrThrow(settings, GraphConfig::read, "");
    }

    @Provides
    @Singleton
    Optional<RedisCache> cache(GraphConfig config, Resources resources, WorkerMetrics metrics) {
        // best effort: a cache that is down at start is retried in the background, never fatal
        Optional<RedisCache> cache = config.cache().enabled()
                ? Optional.of(resources.register(RedisCache.start(config.cache(), config.cache().connectTimeout())))
                : Optional.empty();
        // one connection for every graph's namespace: one count
        cache.ifPresent(c -> metrics.cacheFallbacks(c, RedisCache::fallbacks));
        return cache;
    }

    @Provides
    @Singleton
    GraphStack stack(GraphConfig config, Optional<RedisCache> cache, WorkerMetrics metrics, Tracing tracing) {
        // an operator command opens the default graph only: it keeps the whole bound
        int graphs = neo4j == null ? 1 : 1 + neo4j.names().size();
        return new GraphStack(config, cache, GraphStack.indexMaxWeightFor(graphs), clock, metrics, tracing);
    }

    @Provides
    @Singleton
    AlignmentGraph graph(GraphStack stack, Neo4jAlignmentGraph plain, SliceSource slices) {
        return stack.over(plain, slices, CacheKeys.DEFAULT);
    }

    @Provides
    @Singleton
    EnvironmentGraphs environmentGraphs(AlignmentGraph defaultGraph, Neo4jEnvironments environments, GraphStack stack,
            WorkerMetrics metrics) {
        return new EnvironmentGraphs(defaultGraph, environments,
                (name, neo4j) -> stack.over(neo4j, Neo4jSliceSource.sharing(neo4j), CacheKeys.environment(name)),
                metrics);
    }

    @Provides
    @Singleton
    AlignmentGraphs graphs(EnvironmentGraphs graphs) {
        return graphs;
    }
}
