package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.out.AlignmentGraphs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The segment ids of a manifestation in an environment's graph (its segmentation and pagination
 * segments), so that a message may create only the tasks of segments that exist: a message naming
 * an invented segment makes no row. Kept for {@link #FRESH_FOR} per manifestation, for the
 * {@value #KEPT} manifestations used last. Thread-safe.
 */
final class SegmentCatalog {

    static final Duration FRESH_FOR = Duration.ofMinutes(1);
    static final int KEPT = 16;

    private record Loaded(Set<String> ids, Instant loadedAt) {}

    private final AlignmentGraphs graphs;
    private final Clock clock;
    private final Map<String, Loaded> entries = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
            return size() > KEPT;
        }
    };

    /** A lock per manifestation being loaded (few: the manifestations of the jobs in hand). */
    private final Map<String, Object> loading = new java.util.concurrent.ConcurrentHashMap<>();

    SegmentCatalog(AlignmentGraphs graphs, Clock clock) {
        this.graphs = requireNonNull(graphs, "graphs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    private Loaded fresh(String name, Instant now) {
        Loaded entry;
        synchronized (entries) {
            entry = entries.get(name);
        }
        return entry == null || entry.loadedAt().plus(FRESH_FOR).isBefore(now) ? null : entry;
    }

    /** True when {@code segmentId} is a segment of {@code manifestationId} in {@code environment}'s graph. */
    boolean contains(String environment, String manifestationId, String segmentId) {
        String name = (environment == null ? "" : environment.toUpperCase(java.util.Locale.ROOT)) + "\u0000"
                + manifestationId;
        Instant now = clock.instant();
        Loaded entry = fresh(name, now);
        if (entry == null) {
            // one load per manifestation at a time: the sets of a job's batches all ask at once, and a
            // text's segments read by each of them would fill a small heap with the driver's records
            synchronized (loading.computeIfAbsent(name, n -> new Object())) {
                entry = fresh(name, now);
                if (entry == null) {
                    Set<String> ids = new HashSet<>();
                    for (SegmentSource source : SegmentSource.values()) {
                        for (Segment s : graphs.graph(environment).segmentsOf(manifestationId, source)) {
                            ids.add(s.id());
                        }
                    }
                    entry = new Loaded(Set.copyOf(ids), clock.instant());
                    synchronized (entries) {
                        entries.put(name, entry);
                    }
                }
            }
        }
        return entry.ids().contains(segmentId);
    }
}
