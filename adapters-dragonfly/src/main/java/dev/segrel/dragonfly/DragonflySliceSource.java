package dev.segrel.dragonfly;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.index.SliceCodec;
import dev.segrel.core.port.out.SliceSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second-level slice cache shared by every worker: a slice is read from the cache
 * ({@code segrel:v1:slice:<manifestation>}, or the same in an environment's namespace, {@link CacheKeys};
 * {@link SliceCodec}'s compact binary form) and, on a miss or any cache fault, loaded from
 * {@code source} and written back with the configured TTL.
 * Slice reads and writes are bounded by {@link DragonflyConfig#sliceTimeout()} (a slice can be
 * megabytes), every other call by {@link DragonflyConfig#timeout()}.
 * Cache faults never fail a load; they count in {@link RedisCache#fallbacks()}. Thread-safe.
 */
public final class DragonflySliceSource implements SliceSource {

    private static final Logger LOG = LoggerFactory.getLogger(DragonflySliceSource.class);

    private final AtomicLong hitCount = new AtomicLong();
    private final AtomicLong missCount = new AtomicLong();
    private final SliceSource source;
    private final RedisCache cache;
    private final CacheKeys keys;

    /** The default graph's slices ({@link CacheKeys#DEFAULT}). */
    public DragonflySliceSource(SliceSource source, RedisCache cache) {
        this(source, cache, CacheKeys.DEFAULT);
    }

    /** The slices of {@code source}'s graph in the namespace {@code keys}: one namespace per graph, never shared. */
    public DragonflySliceSource(SliceSource source, RedisCache cache, CacheKeys keys) {
        this.source = requireNonNull(source, "source is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.keys = requireNonNull(keys, "keys is null");
    }

    @Override
    public ManifestationSlice load(String manifestationId) {
        String key = keys.slice(manifestationId);
        Optional<byte[]> cached = cache.get(key, cache.config().sliceTimeout());
        if (cached.isPresent()) {
            try {
                ManifestationSlice slice = SliceCodec.decode(cached.get());
                if (slice.manifestationId().equals(manifestationId)) {
                    hitCount.incrementAndGet();
                    return slice;
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring an unreadable cached slice of {}: {}", manifestationId, e.getMessage());
            }
        }
        missCount.incrementAndGet();
        ManifestationSlice slice = source.load(manifestationId);
        cache.put(key, SliceCodec.encode(slice), cache.config().sliceTimeout());
        return slice;
    }

    /** Cache faults that fell back to the source (and other users of the same cache). */
    public long fallbacks() {
        return cache.fallbacks();
    }

    /** Loads answered from the cache. */
    public long hits() {
        return hitCount.get();
    }

    /** Loads the cache did not answer (absent, unreadable, or the cache down), read from the source. */
    public long misses() {
        return missCount.get();
    }

    @Override
    public String toString() {
        return "DragonflySliceSource[" + cache + " " + keys.prefix() + " over " + source + "]";
    }
}
