package dev.segrel.dragonfly;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Deletes cached entries of the current key version (operators: {@code segrel cache invalidate}). */
public final class CacheInvalidation {

    private final RedisCache cache;

    public CacheInvalidation(RedisCache cache) {
        this.cache = requireNonNull(cache, "cache is null");
    }

    /**
     * Deletes every {@code segrel:v1:*} key, or only those about one manifestation.
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
        return cache.deleteMatching(Arrays.asList(CacheKeys.patternsFor(m)), Arrays.asList(CacheKeys.keysFor(m)));
    }
}
