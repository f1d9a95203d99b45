package dev.segrel.core.index;

import dev.segrel.core.domain.ManifestationSlice;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.SliceSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded in-process cache of {@link ManifestationSlice}s in front of a {@link SliceSource}: least
 * recently used slices are evicted once the sum of {@link ManifestationSlice#weight()} exceeds the
 * bound, and a slice older than the time-to-live is loaded again. Concurrent misses for one
 * manifestation cause one load, which the others wait for. A slice heavier than the whole bound is
 * still kept (alone), so that a job over one huge manifestation does not reload it for every
 * segment. Thread-safe.
 */
public final class SliceCache implements SliceSource {

    private record Entry(ManifestationSlice slice, Instant loadedAt) {}

    private final SliceSource source;
    private final long maxWeight;
    private final Duration ttl;
    private final Clock clock;
    private final Object lock = new Object();
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final ConcurrentHashMap<String, CompletableFuture<ManifestationSlice>> loading = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();
    private long weight;

    public SliceCache(SliceSource source, long maxWeight, Duration ttl, Clock clock) {
        this.source = requireNonNull(source, "source is null");
        if (maxWeight < 1) {
            throw new IllegalArgumentException("maxWeight must be >= 1, was " + maxWeight);
        }
        requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        this.maxWeight = maxWeight;
        this.ttl = ttl;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public ManifestationSlice load(String manifestationId) {
        requireNonNull(manifestationId, "manifestationId is null");
        ManifestationSlice cached = cached(manifestationId);
        if (cached != null) {
            hits.incrementAndGet();
            return cached;
        }
        CompletableFuture<ManifestationSlice> mine = new CompletableFuture<>();
        CompletableFuture<ManifestationSlice> running = loading.putIfAbsent(manifestationId, mine);
        if (running != null) {
            return await(running);
        }
        try {
            // another thread may have finished loading between our lookup and our claim
            ManifestationSlice slice = cached(manifestationId);
            if (slice == null) {
                loads.incrementAndGet();
                slice = requireNonNull(source.load(manifestationId), "source returned null");
                put(manifestationId, slice);
            }
            mine.complete(slice);
            return slice;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(manifestationId, mine);
        }
    }

    /** The cached slice, or {@code null} when it is not cached (or expired); never loads. */
    ManifestationSlice peek(String manifestationId) {
        ManifestationSlice cached = cached(manifestationId);
        if (cached != null) {
            hits.incrementAndGet();
        }
        return cached;
    }

    /** Drops one manifestation's slice. */
    public void invalidate(String manifestationId) {
        synchronized (lock) {
            Entry removed = entries.remove(manifestationId);
            if (removed != null) {
                weight -= removed.slice().weight();
            }
        }
    }

    /** Drops every slice. */
    public void invalidateAll() {
        synchronized (lock) {
            entries.clear();
            weight = 0;
        }
    }

    /** The sum of the weights of the cached slices. */
    public long weight() {
        synchronized (lock) {
            return weight;
        }
    }

    public int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    /** Calls answered from the cache. */
    public long hits() {
        return hits.get();
    }

    /** Calls that loaded from the source. */
    public long loads() {
        return loads.get();
    }

    private ManifestationSlice cached(String manifestationId) {
        synchronized (lock) {
            Entry e = entries.get(manifestationId);
            if (e == null) {
                return null;
            }
            if (!clock.instant().isBefore(e.loadedAt().plus(ttl))) {
                entries.remove(manifestationId);
                weight -= e.slice().weight();
                return null;
            }
            return e.slice();
        }
    }

    private void put(String manifestationId, ManifestationSlice slice) {
        synchronized (lock) {
            Entry old = entries.put(manifestationId, new Entry(slice, clock.instant()));
            if (old != null) {
                weight -= old.slice().weight();
            }
            weight += slice.weight();
            Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
            while (weight > maxWeight && eldest.hasNext()) {
                Map.Entry<String, Entry> e = eldest.next();
                if (e.getKey().equals(manifestationId)) {
                    continue;
                }
                weight -= e.getValue().slice().weight();
                eldest.remove();
            }
        }
    }

    private static ManifestationSlice await(CompletableFuture<ManifestationSlice> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
