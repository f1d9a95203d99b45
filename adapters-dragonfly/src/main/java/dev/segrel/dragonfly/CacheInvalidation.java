package dev.segrel.dragonfly;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Deletes cached entries of the current key version, the default graph's and every environment's
 * (operators: {@code segrel cache invalidate}).
 */
public final class CacheInvalidation {

    private final RedisCache cache;

    public CacheInvalidation(RedisCache cache) {
        this.cache = requireNonNull(cache, "cache is null");
    }

    /**
     * Deletes every {@code segrel:v1:*} key, or only those about one manifestation, in every graph's
     * namespace (environments that are no longer configured included).
     *
     * @return how many keys were deleted
     * @throws IllegalStateException when the cache cannot be reached
     */
    public long invalidate(Optional<String> manifestationId) {
        requireNonNull(manifestationId, "manifestationId is null");
        if (manifestationId.isEmpty()) {
            return cache.deleteMatching(List.of(CacheKeys.allPattern()), List.of());
        }
        String m = manifestationId.get();
        long deleted = cache.deleteMatching(Arrays.asList(CacheKeys.DEFAULT.patternsFor(m)),
                Arrays.asList(CacheKeys.DEFAULT.keysFor(m)));
        // the environments are not listed here: whatever names a namespace holds goes
        return deleted + cache.deleteMatching(List.of(CacheKeys.environmentsPatternFor(m)),
                key -> CacheKeys.isEnvironmentKeyOf(key, m), List.of());
    }
}
