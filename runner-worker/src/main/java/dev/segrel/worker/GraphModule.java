package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.SliceSource;
import dev.segrel.dragonfly.CachingAlignmentGraph;
import dev.segrel.dragonfly.DragonflySliceSource;
import dev.segrel.dragonfly.RedisCache;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.neo4j.Neo4jConfig;
import dev.segrel.neo4j.Neo4jModule;
import dev.segrel.neo4j.Neo4jSliceSource;
import java.time.Clock;
import java.util.Optional;

/**
 * The graph the worker searches: the Neo4j adapter behind the in-memory alignment index (each
 * manifestation loaded once, in one query, then answered from sorted arrays), with Dragonfly as a
 * shared second-level cache of the index's slices when {@code DRAGONFLY_URL} is set. With
 * {@code SEGREL_GRAPH_INDEX=false} the search queries Neo4j level by level instead (cached in
 * Dragonfly when configured).
 */
public final class GraphModule extends AbstractModule {

    private final Neo4jConfig neo4j;
    private final GraphConfig given;
    private final Clock clock;

    /** The worker's: configs read with every other one at start. */
    GraphModule(Neo4jConfig neo4j, GraphConfig config, Clock clock) {
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
    Optional<RedisCache> cache(GraphConfig config, Resources resources) {
        // best effort: a cache that is down at start is retried in the background, never fatal
        return config.cache().enabled()
                ? Optional.of(resources.register(RedisCache.start(config.cache(), config.cache().connectTimeout())))
                : Optional.empty();
    }

    @Provides
    @Singleton
    AlignmentGraph graph(GraphConfig config, Neo4jAlignmentGraph plain, SliceSource slices, Optional<RedisCache> cache,
            WorkerMetrics metrics) {
        if (!config.index()) {
            if (cache.isEmpty()) {
                return plain;
            }
            CachingAlignmentGraph cached = new CachingAlignmentGraph(plain, cache.get());
            metrics.cacheFallbacks(cached::fallbacks);
            return cached;
        }
        SliceSource source = slices;
        if (cache.isPresent()) {
            DragonflySliceSource shared = new DragonflySliceSource(source, cache.get());
            metrics.cacheFallbacks(shared::fallbacks);
            source = shared;
        }
        return IndexedAlignmentGraph.over(plain, source, IndexedAlignmentGraph.DEFAULT_MAX_WEIGHT, config.indexTtl(),
                clock);
    }
}
