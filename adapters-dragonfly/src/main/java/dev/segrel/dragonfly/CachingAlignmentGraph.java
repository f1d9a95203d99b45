package dev.segrel.dragonfly;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.Tracing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An {@link AlignmentGraph} decorator caching the graph's answers in Dragonfly, shared by every
 * worker: the alignment pairs with their linked segments and the segmentation segments per probe
 * (manifestation and span), whether a manifestation exists, and the segments a job is made of.
 * A batch of probes costs one MGET; the misses go to the graph in one batched call and are written
 * back pipelined, with the configured TTL. Redelivered, retried and re-run segments are then
 * answered without touching the graph.
 *
 * <p>The cache is best-effort: a cache that is down, slow or returns garbage makes the call fall
 * back to the graph ({@link #fallbacks()} counts it), never fail. Thread-safe.
 */
public final class CachingAlignmentGraph implements AlignmentGraph {

    private final AtomicLong hitCount = new AtomicLong();
    private final AtomicLong missCount = new AtomicLong();

    private final AlignmentGraph graph;
    private final RedisCache cache;
    private final CacheKeys keys;
    private final Tracing tracing;

    /** The default graph's cache ({@link CacheKeys#DEFAULT}). */
    public CachingAlignmentGraph(AlignmentGraph graph, RedisCache cache) {
        this(graph, cache, CacheKeys.DEFAULT);
    }

    /** A cache of {@code graph} in the namespace {@code keys}: one namespace per graph, never shared. */
    public CachingAlignmentGraph(AlignmentGraph graph, RedisCache cache, CacheKeys keys) {
        this(graph, cache, keys, Tracing.noop());
    }

    /**
     * As {@link #CachingAlignmentGraph(AlignmentGraph, RedisCache, CacheKeys)}, counting on the span
     * current in {@code tracing} (the search's) the probes answered by the cache ({@code segrel.cache.hits})
     * and those asked of the graph ({@code segrel.cache.misses}).
     */
    public CachingAlignmentGraph(AlignmentGraph graph, RedisCache cache, CacheKeys keys, Tracing tracing) {
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.graph = requireNonNull(graph, "graph is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.keys = requireNonNull(keys, "keys is null");
    }

    /** Cache calls that fell back to the graph (the worker exports it as a metric). */
    public long fallbacks() {
        return cache.fallbacks();
    }

    /** Probes answered from the cache (a batched read counts each of its probes). */
    public long hits() {
        return hitCount.get();
    }

    /** Probes the cache did not answer (absent, unreadable, or the cache down), asked of the graph. */
    public long misses() {
        return missCount.get();
    }

    @Override
    public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
        return cached(probes, p -> keys.aligned(p.manifestationId(), p.span()), graph::alignedSegments,
                CachedValues::pairs, CachedValues::pairs);
    }

    @Override
    public List<List<Segment>> segmentationSegments(List<Probe> probes) {
        return cached(probes, p -> keys.segmentation(p.manifestationId(), p.span()), graph::segmentationSegments,
                CachedValues::segments, CachedValues::segments);
    }

    @Override
    public boolean manifestationExists(String manifestationId) {
        String key = keys.exists(manifestationId);
        Optional<byte[]> hit = cache.get(key);
        if (hit.isPresent() && hit.get().length == 1) {
            return hit.get()[0] == '1';
        }
        boolean exists = graph.manifestationExists(manifestationId);
        cache.put(key, (exists ? "1" : "0").getBytes(StandardCharsets.US_ASCII));
        return exists;
    }

    @Override
    public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
        String key = keys.segmentsOf(manifestationId, source.typeName());
        Optional<byte[]> hit = cache.get(key);
        if (hit.isPresent()) {
            try {
                return List.copyOf(CachedValues.segments(hit.get()));
            } catch (IllegalArgumentException e) {
                // unreadable: ask the graph and overwrite it
            }
        }
        List<Segment> segments = graph.segmentsOf(manifestationId, source);
        cache.put(key, CachedValues.segments(segments));
        return segments;
    }

    @Override
    public String toString() {
        return "CachingAlignmentGraph[" + cache + " " + keys.prefix() + " over " + graph + "]";
    }

    private <T> List<List<T>> cached(List<Probe> probes, Function<Probe, String> keyOf,
            Function<List<Probe>, List<List<T>>> load, Function<List<T>, byte[]> encode,
            Function<byte[], List<T>> decode) {
        requireNonNull(probes, "probes is null");
        if (probes.isEmpty()) {
            return List.of();
        }
        List<String> keys = probes.stream().map(keyOf).toList();
        List<byte[]> hits = cache.getAll(keys);
        List<List<T>> out = new ArrayList<>(probes.size());
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            List<T> value = null;
            if (hits.get(i) != null) {
                try {
                    value = decode.apply(hits.get(i));
                } catch (IllegalArgumentException e) {
                    value = null;
                }
            }
            out.add(value);
            if (value == null) {
                missing.add(i);
            }
        }
        hitCount.addAndGet(probes.size() - missing.size());
        missCount.addAndGet(missing.size());
        tracing.current().add("segrel.cache.hits", probes.size() - missing.size())
                .add("segrel.cache.misses", missing.size());
        if (missing.isEmpty()) {
            return out;
        }
        List<Probe> toLoad = missing.stream().map(probes::get).toList();
        List<List<T>> loaded = load.apply(toLoad);
        Map<String, byte[]> writes = new LinkedHashMap<>();
        for (int j = 0; j < missing.size(); j++) {
            int i = missing.get(j);
            out.set(i, loaded.get(j));
            writes.put(keys.get(i), encode.apply(loaded.get(j)));
        }
        cache.putAll(writes);
        return out;
    }
}
