package dev.segrel.dragonfly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.port.out.SliceSource;
import dev.segrel.testkit.graph.FixtureSliceSource;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.SliceSourceContract;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DragonflySliceSourceTest extends SliceSourceContract {

    /** The source with every manifestation of the fixture already in the cache: the answers come from it. */
    @Override
    protected SliceSource sliceSourceOf(GraphFixture fixture) {
        new CacheInvalidation(cache()).invalidate(Optional.empty());
        SliceSource fromGraph = new DragonflySliceSource(new FixtureSliceSource(fixture), cache());
        for (String m : fixture.manifestations().keySet()) {
            fromGraph.load(m);
        }
        return fromGraph;
    }


    private static RedisCache cache;

    static RedisCache cache() {
        if (cache == null) {
            cache = RedisCache.connect(DragonflyConfig.of(TestingRedis.url()));
        }
        return cache;
    }

    @AfterAll
    static void close() {
        if (cache != null) {
            new CacheInvalidation(cache).invalidate(Optional.empty());
            cache.close();
        }
    }

    @Test
    void aSliceLoadedByOneWorkerIsReadFromTheCacheByTheNext() {
        new CacheInvalidation(cache()).invalidate(Optional.of("M é"));
        AtomicInteger loads = new AtomicInteger();
        SliceSource graph = id -> {
            loads.incrementAndGet();
            return ManifestationSlice.builder(id).pair("a", "b", "N")
                    .link("a", Segment.of("x1", 0, 10), Segment.of("y1", 3, 7))
                    .segmentationSegment(Segment.of("s1", 0, 10)).build();
        };

        ManifestationSlice first = new DragonflySliceSource(graph, cache()).load("M é");
        ManifestationSlice second = new DragonflySliceSource(graph, cache()).load("M é");

        assertThat(second).isEqualTo(first);
        assertThat(loads.get()).isEqualTo(1);
        assertThat(cache().get(CacheKeys.slice("M é"))).isPresent();
    }

    @Test
    void anUnreadableCachedSliceIsReplacedFromTheSource() {
        cache().put(CacheKeys.slice("BROKEN"), new byte[] {42, 1, 2});

        ManifestationSlice slice = new DragonflySliceSource(ManifestationSlice::empty, cache()).load("BROKEN");

        assertThat(slice).isEqualTo(ManifestationSlice.empty("BROKEN"));
        assertThat(new DragonflySliceSource(id -> {
            throw new AssertionError("should be cached now");
        }, cache()).load("BROKEN")).isEqualTo(slice);
    }
}
