package dev.segrel.core.index;

import dev.segrel.core.domain.ManifestationSlice;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.InvalidSegment;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.InvalidGraphDataException;
import dev.segrel.core.port.out.SliceSource;
import dev.segrel.core.port.out.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An {@link AlignmentGraph} that answers the search's questions from {@link ManifestationSlice}s
 * held in memory: each manifestation is loaded once (one query through {@link SliceSource}) and
 * then serves every segment of a job without a round trip. {@link #manifestationExists} and
 * {@link #segmentsOf} are asked of the underlying graph.
 *
 * <p>When one breadth-first level probes several manifestations not yet loaded, they are loaded in
 * parallel (virtual threads), so a cold search costs about one load per level, not per
 * manifestation.
 *
 * <p>A slice holding invalid segments ({@link ManifestationSlice#defects()}) is cached like any
 * other: a search that reaches one of them throws {@link InvalidGraphDataException}, the others are
 * answered, and the slice is not loaded again for each of them.
 *
 * <p>Thread-safe.
 */
public final class IndexedAlignmentGraph implements AlignmentGraph {

    /**
     * Default bound of the in-process cache, in slice weight units: what 60% of the maximum heap
     * holds at about 85 bytes per unit (measured: 83 for the benchmark's canon), at least 100,000.
     * A job whose manifestations weigh more than the bound reloads slices: raise the heap or the
     * bound rather than run below it.
     */
    public static final long DEFAULT_MAX_WEIGHT = Math.max(100_000, Runtime.getRuntime().maxMemory() / 10 * 6 / 85);
    /** Default time a slice is kept before it is loaded again. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

    private final AlignmentGraph graph;
    private final SliceCache slices;
    private final Tracing tracing;

    private IndexedAlignmentGraph(AlignmentGraph graph, SliceCache slices, Tracing tracing) {
        this.graph = requireNonNull(graph, "graph is null");
        this.slices = requireNonNull(slices, "slices is null");
        this.tracing = requireNonNull(tracing, "tracing is null");
    }

    /**
     * As {@link #over(AlignmentGraph, SliceSource, long, Duration, Clock)}, counting on the span current
     * in {@code tracing} (the search's) the manifestations answered from memory
     * ({@code segrel.index.hits}) and those loaded ({@code segrel.index.loads}).
     */
    public static IndexedAlignmentGraph over(AlignmentGraph graph, SliceSource source, long maxWeight, Duration ttl,
            Clock clock, Tracing tracing) {
        return new IndexedAlignmentGraph(graph, new SliceCache(source, maxWeight, ttl, clock), tracing);
    }

    /**
     * An indexed graph loading slices from {@code source} into a cache bounded by {@code maxWeight}
     * with time-to-live {@code ttl}.
     */
    public static IndexedAlignmentGraph over(AlignmentGraph graph, SliceSource source, long maxWeight, Duration ttl,
            Clock clock) {
        return over(graph, source, maxWeight, ttl, clock, Tracing.noop());
    }

    /** As {@link #over(AlignmentGraph, SliceSource, long, Duration, Clock)} with the defaults. */
    public static IndexedAlignmentGraph over(AlignmentGraph graph, SliceSource source) {
        return over(graph, source, DEFAULT_MAX_WEIGHT, DEFAULT_TTL, Clock.systemUTC());
    }

    /** The in-process cache (sizes, hit counts, invalidation). */
    public SliceCache slices() {
        return slices;
    }

    /** Loads the slices of these manifestations now (in parallel), e.g. before a job starts. */
    public void preload(List<String> manifestationIds) {
        slicesOf(new LinkedHashSet<>(manifestationIds));
    }

    @Override
    public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
        requireNonNull(probes, "probes is null");
        Map<String, ManifestationSlice> loaded = slicesOf(manifestations(probes));
        List<List<AlignedPair>> out = new ArrayList<>(probes.size());
        for (Probe p : probes) {
            ManifestationSlice slice = loaded.get(p.manifestationId());
            List<AlignedPair> pairs = new ArrayList<>(slice.pairs().size());
            String lastSource = null;
            List<Segment> linked = List.of();
            for (ManifestationSlice.Pair pair : slice.pairs()) {
                // pairs are sorted by source: compute each annotation's overlap once per probe
                if (!pair.sourceAnnotationId().equals(lastSource)) {
                    lastSource = pair.sourceAnnotationId();
                    reject(slice.invalidAlignmentReached(lastSource, p.span()));
                    linked = slice.linkedOverlapping(lastSource, p.span());
                }
                pairs.add(new AlignedPair(pair.sourceAnnotationId(), pair.targetAnnotationId(),
                        pair.targetManifestationId(), linked));
            }
            out.add(pairs);
        }
        return out;
    }

    @Override
    public List<List<Segment>> segmentationSegments(List<Probe> probes) {
        requireNonNull(probes, "probes is null");
        Map<String, ManifestationSlice> loaded = slicesOf(manifestations(probes));
        List<List<Segment>> out = new ArrayList<>(probes.size());
        for (Probe p : probes) {
            ManifestationSlice slice = loaded.get(p.manifestationId());
            reject(slice.invalidSegmentationReached(p.span()));
            out.add(slice.segmentationOverlapping(p.span()));
        }
        return out;
    }

    @Override
    public boolean manifestationExists(String manifestationId) {
        return graph.manifestationExists(manifestationId);
    }

    @Override
    public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
        return graph.segmentsOf(manifestationId, source);
    }

    @Override
    public String toString() {
        return "IndexedAlignmentGraph[" + graph + "]";
    }

    /** Bad data reached fails the search, as the graph's own queries would on reading it. */
    private static void reject(Optional<InvalidSegment> reached) {
        if (reached.isPresent()) {
            throw new InvalidGraphDataException(reached.get());
        }
    }

    private static Set<String> manifestations(List<Probe> probes) {
        Set<String> ids = new LinkedHashSet<>();
        for (Probe p : probes) {
            ids.add(p.manifestationId());
        }
        return ids;
    }

    private Map<String, ManifestationSlice> slicesOf(Set<String> ids) {
        Map<String, ManifestationSlice> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            ManifestationSlice cached = slices.peek(id);
            if (cached != null) {
                out.put(id, cached);
            } else {
                missing.add(id);
            }
        }
        tracing.current().add("segrel.index.hits", out.size()).add("segrel.index.loads", missing.size());
        if (missing.size() <= 1) {
            missing.forEach(id -> out.put(id, slices.load(id)));
            return out;
        }
        try (ExecutorService loaders = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<ManifestationSlice>> futures = new HashMap<>();
            for (String id : missing) {
                futures.put(id, loaders.submit(() -> slices.load(id)));
            }
            for (Map.Entry<String, Future<ManifestationSlice>> e : futures.entrySet()) {
                out.put(e.getKey(), join(e.getValue()));
            }
        }
        return out;
    }

    private static ManifestationSlice join(Future<ManifestationSlice> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading slices", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
