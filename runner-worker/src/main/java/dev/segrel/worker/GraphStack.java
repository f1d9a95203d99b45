package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.index.SliceCache;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.SliceSource;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.dragonfly.CacheKeys;
import dev.segrel.dragonfly.CachingAlignmentGraph;
import dev.segrel.dragonfly.DragonflySliceSource;
import dev.segrel.dragonfly.RedisCache;
import java.time.Clock;
import java.util.Optional;

/**
 * How one graph is searched ({@link GraphConfig}): the in-memory alignment index over the graph's
 * slices, the slices shared through Dragonfly when configured; or, without the index, the graph
 * level by level, its answers cached in Dragonfly when configured. Every graph gets its own index
 * and its own cache namespace ({@link CacheKeys}), over one shared cache connection. Each cache's hits
 * and misses are exposed per graph ({@link WorkerMetrics#cacheRequests}).
 */
final class GraphStack {

    private final GraphConfig config;
    private final Optional<RedisCache> cache;
    private final long indexMaxWeight;
    private final Clock clock;
    private final WorkerMetrics metrics;
    private final Tracing tracing;

    /**
     * @param metrics where the caches' hits and misses are exported
     * @param tracing where the index counts its hits and loads (on the search's span)
     */
    GraphStack(GraphConfig config, Optional<RedisCache> cache, long indexMaxWeight, Clock clock, WorkerMetrics metrics,
            Tracing tracing) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.config = requireNonNull(config, "config is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (indexMaxWeight < 1) {
            throw new IllegalArgumentException("indexMaxWeight must be positive, was " + indexMaxWeight);
        }
        this.indexMaxWeight = indexMaxWeight;
    }

    /**
     * The bound of each graph's index when {@code graphs} graphs share the heap: the default bound
     * split evenly, so that a worker with environments holds no more slices than one without.
     */
    static long indexMaxWeightFor(int graphs) {
        if (graphs < 1) {
            throw new IllegalArgumentException("graphs must be positive, was " + graphs);
        }
        return Math.max(1, IndexedAlignmentGraph.DEFAULT_MAX_WEIGHT / graphs);
    }

    /** The search stack over {@code graph}, whose slices {@code slices} loads, cached under {@code keys}. */
    AlignmentGraph over(AlignmentGraph graph, SliceSource slices, CacheKeys keys) {
        String environment = keys.environmentName().orElse(WorkerMetrics.DEFAULT_ENVIRONMENT);
        if (!config.index()) {
            return cache.<AlignmentGraph>map(c -> {
                CachingAlignmentGraph cached = new CachingAlignmentGraph(graph, c, keys, tracing);
                metrics.cacheRequests("dragonfly", environment, cached, CachingAlignmentGraph::hits,
                        CachingAlignmentGraph::misses);
                return cached;
            }).orElse(graph);
        }
        SliceSource source = cache.<SliceSource>map(c -> {
            DragonflySliceSource shared = new DragonflySliceSource(slices, c, keys);
            metrics.cacheRequests("dragonfly", environment, shared, DragonflySliceSource::hits,
                    DragonflySliceSource::misses);
            return shared;
        }).orElse(slices);
        IndexedAlignmentGraph indexed = IndexedAlignmentGraph.over(graph, source, indexMaxWeight, config.indexTtl(), clock,
                tracing);
        metrics.cacheRequests("index", environment, indexed.slices(), SliceCache::hits, SliceCache::loads);
        return indexed;
    }
}
