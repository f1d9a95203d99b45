package dev.segrel.core.index;

import dev.segrel.core.domain.ManifestationSlice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.SliceSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SliceCacheTest {

    /** Counts loads per manifestation; a slice of {@code weight} segmentation segments each. */
    private static final class CountingSource implements SliceSource {
        final ConcurrentHashMap<String, AtomicInteger> loads = new ConcurrentHashMap<>();
        final int segments;

        CountingSource(int segments) {
            this.segments = segments;
        }

        @Override
        public ManifestationSlice load(String id) {
            loads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            ManifestationSlice.Builder b = ManifestationSlice.builder(id);
            for (int i = 0; i < segments; i++) {
                b.segmentationSegment(dev.segrel.core.domain.Segment.of(id + i, i, i + 1));
            }
            return b.build();
        }

        int loads(String id) {
            AtomicInteger n = loads.get(id);
            return n == null ? 0 : n.get();
        }
    }

    private static final class SettableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aSecondCallIsAnsweredFromTheCache() {
        CountingSource source = new CountingSource(10);
        SliceCache cache = new SliceCache(source, 1_000, Duration.ofMinutes(1), Clock.systemUTC());

        ManifestationSlice first = cache.load("A");
        ManifestationSlice second = cache.load("A");

        assertThat(second).isSameAs(first);
        assertThat(source.loads("A")).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.loads()).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedSliceIsEvictedWhenTheWeightExceedsTheBound() {
        CountingSource source = new CountingSource(10);
        SliceCache cache = new SliceCache(source, 25, Duration.ofMinutes(1), Clock.systemUTC());

        cache.load("A");
        cache.load("B");
        cache.load("A"); // B is now the least recently used
        cache.load("C");

        assertThat(cache.weight()).isEqualTo(20);
        cache.load("A");
        cache.load("C");
        cache.load("B");
        assertThat(source.loads("A")).isEqualTo(1);
        assertThat(source.loads("B")).isEqualTo(2);
    }

    @Test
    void aSliceHeavierThanTheBoundIsStillKeptAlone() {
        CountingSource source = new CountingSource(50);
        SliceCache cache = new SliceCache(source, 25, Duration.ofMinutes(1), Clock.systemUTC());

        cache.load("A");
        cache.load("A");
        cache.load("B");

        assertThat(source.loads("A")).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.weight()).isEqualTo(50);
    }

    @Test
    void aSliceOlderThanTheTimeToLiveIsLoadedAgain() {
        CountingSource source = new CountingSource(1);
        SettableClock clock = new SettableClock();
        SliceCache cache = new SliceCache(source, 100, Duration.ofSeconds(30), clock);

        cache.load("A");
        clock.now = clock.now.plusSeconds(29);
        cache.load("A");
        clock.now = clock.now.plusSeconds(1);
        cache.load("A");

        assertThat(source.loads("A")).isEqualTo(2);
    }

    @Test
    void concurrentMissesForOneManifestationLoadItOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        SliceSource slow = id -> {
            loads.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ManifestationSlice.empty(id);
        };
        SliceCache cache = new SliceCache(slow, 100, Duration.ofMinutes(1), Clock.systemUTC());
        List<Thread> callers = new CopyOnWriteArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "slice-cache-caller");
            callers.add(t);
            return t;
        })) {
            List<Future<ManifestationSlice>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> cache.load("A")));
            }
            // every caller parked (one in the load, seven waiting for it) before the load may end: a caller
            // that arrived after it would hit the cached slice and prove nothing about concurrent misses
            while (callers.size() < 8 || loads.get() == 0 || !callers.stream().allMatch(SliceCacheTest::parked)) {
                Thread.onSpinWait();
            }
            release.countDown();
            for (Future<ManifestationSlice> f : calls) {
                assertThat(f.get().manifestationId()).isEqualTo("A");
            }
        }
        assertThat(loads.get()).isEqualTo(1);
    }

    private static boolean parked(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
    }

    @Test
    void aFailedLoadIsRethrownAndNotCached() {
        AtomicInteger calls = new AtomicInteger();
        SliceSource flaky = id -> {
            if (calls.incrementAndGet() == 1) {
                throw new GraphUnavailableException("down");
            }
            return ManifestationSlice.empty(id);
        };
        SliceCache cache = new SliceCache(flaky, 100, Duration.ofMinutes(1), Clock.systemUTC());

        assertThatThrownBy(() -> cache.load("A")).isInstanceOf(GraphUnavailableException.class);
        assertThat(cache.load("A").manifestationId()).isEqualTo("A");
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void invalidationDropsSlices() {
        CountingSource source = new CountingSource(1);
        SliceCache cache = new SliceCache(source, 100, Duration.ofMinutes(1), Clock.systemUTC());

        cache.load("A");
        cache.load("B");
        cache.invalidate("A");
        cache.load("A");
        cache.invalidateAll();
        cache.load("B");

        assertThat(source.loads("A")).isEqualTo(2);
        assertThat(source.loads("B")).isEqualTo(2);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.weight()).isEqualTo(1);
    }
}
