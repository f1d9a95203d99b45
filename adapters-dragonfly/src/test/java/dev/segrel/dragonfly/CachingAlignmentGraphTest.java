package dev.segrel.dragonfly;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.testkit.graph.AlignmentGraphContract;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InterceptingGraph;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The port contract through a real Redis-protocol cache, answered twice: once cold, once warm. */
class CachingAlignmentGraphTest extends AlignmentGraphContract {

    private static RedisCache cache;

    static RedisCache cache() {
        if (cache == null) {
            cache = RedisCache.connect(DragonflyConfig.of(TestingRedis.url()));
        }
        return cache;
    }

    @Override
    protected AlignmentGraph graphOf(GraphFixture f) {
        // the fixtures reuse manifestation ids: each starts from an empty cache
        new CacheInvalidation(cache()).invalidate(Optional.empty());
        return new CachingAlignmentGraph(f.toInMemoryGraph(), cache());
    }

    @AfterAll
    static void close() {
        if (cache != null) {
            new CacheInvalidation(cache).invalidate(Optional.empty());
            cache.close();
            cache = null;
        }
    }

    @Test
    void aRepeatedSearchIsAnsweredFromTheCacheWithoutTheGraph() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10))
                .alignment("A", "A-al", seg("x1", 0, 10))
                .segmentation("B", "B-seg", seg("b1", 0, 5), seg("b2", 5, 10))
                .alignment("B", "B-al", seg("y1", 0, 10))
                .linkAnnotations("A-al", "B-al").linkSegments("x1", "y1");
        graphOf(f);
        AtomicLong calls = new AtomicLong();
        CachingAlignmentGraph graph = new CachingAlignmentGraph(
                new InterceptingGraph(f.toInMemoryGraph(), calls::incrementAndGet), cache());

        var first = SegmentRelations.over(graph).find(Query.of("A", 0, 10));
        long callsWhenCold = calls.get();
        var second = SegmentRelations.over(graph).find(Query.of("A", 0, 10));

        assertThat(second).isEqualTo(first);
        assertThat(callsWhenCold).isGreaterThan(0);
        assertThat(calls.get()).isEqualTo(callsWhenCold);
        assertThat(graph.segmentsOf("B", SegmentSource.SEGMENTATION)).hasSize(2);
        assertThat(graph.segmentsOf("B", SegmentSource.SEGMENTATION)).hasSize(2);
        assertThat(calls.get()).isEqualTo(callsWhenCold + 1);
    }

    @Test
    void invalidatingOneManifestationLeavesTheOthersCached() {
        RedisCache c = cache();
        new CacheInvalidation(c).invalidate(Optional.empty());
        c.put(CacheKeys.slice("A"), new byte[] {1});
        c.put(CacheKeys.slice("A:B"), new byte[] {1});
        c.put(CacheKeys.slice("AB"), new byte[] {1});
        c.put(CacheKeys.exists("A"), new byte[] {1});
        c.put(CacheKeys.aligned("A", dev.segrel.core.domain.Span.of(0, 10)), new byte[] {1});
        c.put(CacheKeys.aligned("A:B", dev.segrel.core.domain.Span.of(0, 10)), new byte[] {1});

        long deleted = new CacheInvalidation(c).invalidate(Optional.of("A"));

        assertThat(deleted).isEqualTo(3);
        assertThat(c.get(CacheKeys.slice("A:B"))).isPresent();
        assertThat(c.get(CacheKeys.slice("AB"))).isPresent();
        assertThat(c.get(CacheKeys.slice("A"))).isEmpty();
        assertThat(new CacheInvalidation(c).invalidate(Optional.empty())).isEqualTo(3);
    }
}
