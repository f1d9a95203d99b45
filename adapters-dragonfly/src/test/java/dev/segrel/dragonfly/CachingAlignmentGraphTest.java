package dev.segrel.dragonfly;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.testkit.graph.AlignmentGraphContract;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.trace.RecordingTracing;
import java.util.List;
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
        long missesWhenCold = graph.misses();
        var second = SegmentRelations.over(graph).find(Query.of("A", 0, 10));

        assertThat(second).isEqualTo(first);
        assertThat(callsWhenCold).isGreaterThan(0);
        assertThat(missesWhenCold).as("every probe of the cold search missed").isPositive();
        assertThat(graph.hits()).as("the warm search's probes are the cold one's").isEqualTo(missesWhenCold);
        assertThat(graph.misses()).isEqualTo(missesWhenCold);
        assertThat(calls.get()).isEqualTo(callsWhenCold);
        assertThat(graph.segmentsOf("B", SegmentSource.SEGMENTATION)).hasSize(2);
        assertThat(graph.segmentsOf("B", SegmentSource.SEGMENTATION)).hasSize(2);
        assertThat(calls.get()).isEqualTo(callsWhenCold + 1);
    }

    @Test
    void theSearchSpanCountsTheProbesTheCacheAnsweredAndThoseItMissed() {
        GraphFixture f = new GraphFixture()
                .segmentation("A", "A-seg", seg("a1", 0, 10))
                .alignment("A", "A-al", seg("x1", 0, 10))
                .segmentation("B", "B-seg", seg("b1", 0, 5))
                .alignment("B", "B-al", seg("y1", 0, 10))
                .linkAnnotations("A-al", "B-al").linkSegments("x1", "y1");
        graphOf(f);
        RecordingTracing tracing = new RecordingTracing();
        CachingAlignmentGraph graph = new CachingAlignmentGraph(f.toInMemoryGraph(), cache(), CacheKeys.DEFAULT,
                tracing);

        for (int i = 0; i < 2; i++) {
            Tracing.TraceSpan span = tracing.start("search");
            try {
                SegmentRelations.over(graph).find(Query.of("A", 0, 10));
            } finally {
                span.close();
            }
        }

        List<RecordingTracing.Recorded> searches = tracing.named("search");
        assertThat(searches.get(0).attributes()).containsEntry("segrel.cache.hits", 0L);
        assertThat((Long) searches.get(0).attributes().get("segrel.cache.misses")).isPositive();
        assertThat(searches.get(1).attributes()).containsEntry("segrel.cache.misses", 0L)
                .containsEntry("segrel.cache.hits", searches.get(0).attributes().get("segrel.cache.misses"));
    }

    @Test
    void invalidatingOneManifestationLeavesTheOthersCached() {
        RedisCache c = cache();
        new CacheInvalidation(c).invalidate(Optional.empty());
        c.put(CacheKeys.DEFAULT.slice("A"), new byte[] {1});
        c.put(CacheKeys.DEFAULT.slice("A:B"), new byte[] {1});
        c.put(CacheKeys.DEFAULT.slice("AB"), new byte[] {1});
        c.put(CacheKeys.DEFAULT.exists("A"), new byte[] {1});
        c.put(CacheKeys.DEFAULT.aligned("A", dev.segrel.core.domain.Span.of(0, 10)), new byte[] {1});
        c.put(CacheKeys.DEFAULT.aligned("A:B", dev.segrel.core.domain.Span.of(0, 10)), new byte[] {1});

        long deleted = new CacheInvalidation(c).invalidate(Optional.of("A"));

        assertThat(deleted).isEqualTo(3);
        assertThat(c.get(CacheKeys.DEFAULT.slice("A:B"))).isPresent();
        assertThat(c.get(CacheKeys.DEFAULT.slice("AB"))).isPresent();
        assertThat(c.get(CacheKeys.DEFAULT.slice("A"))).isEmpty();
        assertThat(new CacheInvalidation(c).invalidate(Optional.empty())).isEqualTo(3);
    }

    @Test
    void invalidatingOneManifestationCoversEveryEnvironmentsKeysOfItOnly() {
        RedisCache c = cache();
        new CacheInvalidation(c).invalidate(Optional.empty());
        CacheKeys a = CacheKeys.environment("A");
        CacheKeys b = CacheKeys.environment("B");
        for (CacheKeys keys : java.util.List.of(CacheKeys.DEFAULT, a, b)) {
            c.put(keys.slice("M"), new byte[] {1});
            c.put(keys.exists("M"), new byte[] {1});
            c.put(keys.aligned("M", dev.segrel.core.domain.Span.of(0, 10)), new byte[] {1});
            c.put(keys.segmentsOf("M", "segmentation"), new byte[] {1});
            c.put(keys.slice("MN"), new byte[] {1});
        }
        // what a pattern reaching across ':' would take for "M": the segments of "slice" from source "M"
        c.put(a.segmentsOf("slice", "M"), new byte[] {1});

        long deleted = new CacheInvalidation(c).invalidate(Optional.of("M"));

        assertThat(deleted).isEqualTo(12);
        assertThat(c.get(a.slice("M"))).isEmpty();
        assertThat(c.get(b.aligned("M", dev.segrel.core.domain.Span.of(0, 10)))).isEmpty();
        assertThat(c.get(a.slice("MN"))).isPresent();
        assertThat(c.get(a.segmentsOf("slice", "M"))).isPresent();
        assertThat(new CacheInvalidation(c).invalidate(Optional.empty())).isEqualTo(4);
    }

    @Test
    void twoGraphsCachedInTwoNamespacesNeverAnswerForEachOther() {
        GraphFixture inA = new GraphFixture()
                .segmentation("M", "M-seg", seg("a1", 0, 10))
                .alignment("M", "M-al", seg("x1", 0, 10))
                .segmentation("N", "N-seg", seg("n1", 0, 10))
                .alignment("N", "N-al", seg("y1", 0, 10))
                .linkAnnotations("M-al", "N-al").linkSegments("x1", "y1");
        GraphFixture inB = new GraphFixture()
                .segmentation("M", "M-seg", seg("a1", 0, 10))
                .alignment("M", "M-al", seg("x1", 0, 10))
                .segmentation("P", "P-seg", seg("p1", 0, 10))
                .alignment("P", "P-al", seg("z1", 0, 10))
                .linkAnnotations("M-al", "P-al").linkSegments("x1", "z1");
        graphOf(inA);
        AlignmentGraph a = new CachingAlignmentGraph(inA.toInMemoryGraph(), cache(), CacheKeys.environment("A"));
        AlignmentGraph b = new CachingAlignmentGraph(inB.toInMemoryGraph(), cache(), CacheKeys.environment("B"));

        var fromA = SegmentRelations.over(a).mappings(Query.of("M", 0, 10));
        var fromB = SegmentRelations.over(b).mappings(Query.of("M", 0, 10));
        var fromAWarm = SegmentRelations.over(a).mappings(Query.of("M", 0, 10));

        assertThat(fromA).singleElement().satisfies(m -> assertThat(m.manifestationId()).isEqualTo("N"));
        assertThat(fromB).singleElement().satisfies(m -> assertThat(m.manifestationId()).isEqualTo("P"));
        assertThat(fromAWarm).isEqualTo(fromA);
    }
}
