package dev.segrel.core.index;

import dev.segrel.core.domain.ManifestationSlice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.SliceSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the index loads: once per manifestation for a whole job, and faults surface as the graph's. */
class IndexedAlignmentGraphLoadingTest {

    /** A star: A aligned 1:1 to B and C, each with 100 unit segments. */
    private static ManifestationSlice slice(String m) {
        ManifestationSlice.Builder b = ManifestationSlice.builder(m);
        for (int i = 0; i < 100; i++) {
            Segment unit = Segment.of(m + "-s" + i, i * 10, i * 10 + 10);
            b.segmentationSegment(unit);
            if (m.equals("A")) {
                for (String other : List.of("B", "C")) {
                    b.link("A-al-" + other, Segment.of("A-al-" + other + i, i * 10, i * 10 + 10),
                            Segment.of(other + "-al" + i, i * 10, i * 10 + 10));
                }
            } else {
                b.link(m + "-al", Segment.of(m + "-al" + i, i * 10, i * 10 + 10), Segment.of("A-al-" + m + i, i * 10, i * 10 + 10));
            }
        }
        if (m.equals("A")) {
            b.pair("A-al-B", "B-al", "B").pair("A-al-C", "C-al", "C");
        } else {
            b.pair(m + "-al", "A-al-" + m, "A");
        }
        return b.build();
    }

    private static final class CountingSource implements SliceSource {
        final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

        @Override
        public ManifestationSlice load(String id) {
            loads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return slice(id);
        }
    }

    private static final AlignmentGraph UNUSED = new AlignmentGraph() {
        @Override
        public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
            throw new AssertionError("the index must answer this");
        }

        @Override
        public List<List<Segment>> segmentationSegments(List<Probe> probes) {
            throw new AssertionError("the index must answer this");
        }

        @Override
        public boolean manifestationExists(String manifestationId) {
            return true;
        }

        @Override
        public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
            return List.of();
        }
    };

    @Test
    void aJobOfManySegmentsLoadsEachManifestationOnce() {
        CountingSource source = new CountingSource();
        FindRelatedSegments relations = SegmentRelations.over(IndexedAlignmentGraph.over(UNUSED, source));

        for (int i = 0; i < 100; i++) {
            List<Mapping> mappings = relations.mappings(FindRelatedSegments.Query.of("A", i * 10, i * 10 + 10));
            assertThat(mappings).extracting(Mapping::manifestationId).containsExactly("B", "C");
            assertThat(mappings.get(0).segments()).containsExactly(Segment.of("B-s" + i, i * 10, i * 10 + 10));
        }

        assertThat(source.loads).containsOnlyKeys("A", "B", "C");
        assertThat(source.loads.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void preloadingLoadsEveryManifestationBeforeTheFirstSegment() {
        CountingSource source = new CountingSource();
        IndexedAlignmentGraph graph = IndexedAlignmentGraph.over(UNUSED, source, 10_000, Duration.ofMinutes(1),
                Clock.systemUTC());

        graph.preload(List.of("A", "B", "C"));

        assertThat(graph.slices().size()).isEqualTo(3);
        assertThat(graph.slices().weight()).isGreaterThan(300);
        SegmentRelations.over(graph).mappings(FindRelatedSegments.Query.of("A", 0, 10));
        assertThat(graph.slices().loads()).isEqualTo(3);
    }

    @Test
    void aSourceThatIsDownSurfacesAsTheGraphBeingUnavailable() {
        SliceSource down = id -> {
            throw new GraphUnavailableException("Neo4j is down");
        };
        IndexedAlignmentGraph graph = IndexedAlignmentGraph.over(UNUSED, down);

        assertThatThrownBy(() -> graph.alignedSegments(List.of(new AlignmentGraph.Probe("A", Span.of(0, 1)))))
                .isInstanceOf(GraphUnavailableException.class);
        assertThatThrownBy(() -> graph.preload(List.of("A", "B")))
                .isInstanceOf(GraphUnavailableException.class);
    }
}
