package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names seen lately, each remembered for {@code ttl} and at most {@code capacity} of them (the least
 * recently seen go first): a long-running worker meets an unbounded number of manifestations, and a
 * plain map of them grows for as long as it runs. Thread-safe.
 */
final class RecentlySeen {

    /** Manifestations remembered per graph: far more than a worker's working set, a few MiB at most. */
    static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final Duration ttl;
    private final LinkedHashMap<String, Instant> seen;

    RecentlySeen(int capacity, Duration ttl) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > RecentlySeen.this.capacity;
            }
        };
    }

    /** Whether {@code name} was seen less than the ttl before {@code now}; an expired entry is dropped. */
    synchronized boolean contains(String name, Instant now) {
        Instant at = seen.get(name);
        if (at == null) {
            return false;
        }
        if (!at.isAfter(now.minus(ttl))) {
            seen.remove(name);
            return false;
        }
        return true;
    }

    synchronized void add(String name, Instant now) {
        seen.put(requireNonNull(name, "name is null"), requireNonNull(now, "now is null"));
    }

    synchronized int size() {
        return seen.size();
    }
}
