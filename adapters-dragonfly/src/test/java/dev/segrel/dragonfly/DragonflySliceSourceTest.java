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

        DragonflySliceSource one = new DragonflySliceSource(graph, cache());
        DragonflySliceSource next = new DragonflySliceSource(graph, cache());
        ManifestationSlice first = one.load("M é");
        ManifestationSlice second = next.load("M é");

        assertThat(second).isEqualTo(first);
        assertThat(one.misses()).isEqualTo(1);
        assertThat(one.hits()).isZero();
        assertThat(next.hits()).isEqualTo(1);
        assertThat(next.misses()).isZero();
        assertThat(loads.get()).isEqualTo(1);
        assertThat(cache().get(CacheKeys.DEFAULT.slice("M é"))).isPresent();
    }

    @Test
    void theSameManifestationsSlicesOfTwoEnvironmentsAreCachedApart() {
        new CacheInvalidation(cache()).invalidate(Optional.of("M"));
        SliceSource a = new DragonflySliceSource(id -> ManifestationSlice.builder(id).pair("a", "b", "FROM-A").build(),
                cache(), CacheKeys.environment("A"));
        SliceSource b = new DragonflySliceSource(id -> ManifestationSlice.builder(id).pair("a", "b", "FROM-B").build(),
                cache(), CacheKeys.environment("B"));
        SliceSource defaultGraph = new DragonflySliceSource(ManifestationSlice::empty, cache());

        a.load("M");
        b.load("M");

        assertThat(a.load("M").pairs()).singleElement().satisfies(p -> assertThat(p.targetManifestationId()).isEqualTo("FROM-A"));
        assertThat(b.load("M").pairs()).singleElement().satisfies(p -> assertThat(p.targetManifestationId()).isEqualTo("FROM-B"));
        assertThat(defaultGraph.load("M").pairs()).isEmpty();
        assertThat(cache().get(CacheKeys.environment("A").slice("M"))).isPresent();
    }

    @Test
    void anUnreadableCachedSliceIsReplacedFromTheSource() {
        cache().put(CacheKeys.DEFAULT.slice("BROKEN"), new byte[] {42, 1, 2});

        ManifestationSlice slice = new DragonflySliceSource(ManifestationSlice::empty, cache()).load("BROKEN");

        assertThat(slice).isEqualTo(ManifestationSlice.empty("BROKEN"));
        assertThat(new DragonflySliceSource(id -> {
            throw new AssertionError("should be cached now");
        }, cache()).load("BROKEN")).isEqualTo(slice);
    }
}
