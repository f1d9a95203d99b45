package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.graph.ThreeTextCanon;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The related-segments use case over the three-text canon: R aligned 1:1 to T, T aligned 2:1 to C. */
class FindRelatedSegmentsTest {

    private final AtomicInteger graphCalls = new AtomicInteger();
    private final AlignmentGraph canon = ThreeTextCanon.of(4).toInMemoryGraph();
    private final FindRelatedSegments relations =
            SegmentRelations.over(new InterceptingGraph(canon, graphCalls::incrementAndGet));

    @Test
    void aSpanRelatesToTheSegmentationOfEveryManifestationReachedInDiscoveryOrder() {
        FindRelatedSegments.Result result = relations.find(Query.of(ThreeTextCanon.ROOT, 10, 20));

        assertThat(result).isEqualTo(new FindRelatedSegments.Related(List.of(
                new Mapping("T", List.of(Segment.of("t1", 12, 24))),
                new Mapping("C", List.of(Segment.of("c0", 0, 30))))));
    }

    @Test
    void theAlignmentModeListsTheAlignedSegmentsThemselves() {
        FindRelatedSegments.Result result =
                relations.find(Query.of(ThreeTextCanon.ROOT, 10, 20).withMode(RelationMode.ALIGNMENT));

        assertThat(result).isEqualTo(new FindRelatedSegments.Related(List.of(
                new Mapping("T", List.of(Segment.of("ta1", 12, 24))),
                new Mapping("C", List.of(Segment.of("ca0", 0, 30))))));
    }

    @Test
    void anUnknownManifestationIsAnOutcomeAndNothingIsSearched() {
        FindRelatedSegments.Result result = relations.find(Query.of("NOPE", 0, 10));

        assertThat(result).isEqualTo(new FindRelatedSegments.UnknownManifestation("NOPE"));
        assertThat(graphCalls).as("only the existence check").hasValue(1);
    }

    @Test
    void mappingsSkipsTheExistenceCheckSoAnUnknownManifestationReachesNothing() {
        List<Mapping> unknown = relations.mappings(Query.of("NOPE", 0, 10));
        int callsForUnknown = graphCalls.getAndSet(0);
        relations.mappings(Query.of(ThreeTextCanon.ROOT, 10, 20));
        int callsOfMappings = graphCalls.getAndSet(0);
        relations.find(Query.of(ThreeTextCanon.ROOT, 10, 20));
        int callsOfFind = graphCalls.get();

        assertThat(unknown).isEmpty();
        assertThat(callsForUnknown).as("one level with no pair").isEqualTo(1);
        assertThat(callsOfFind - callsOfMappings).as("find's existence check").isEqualTo(1);
    }

    @Test
    void aSpanThatNoAlignmentCoversIsRelatedToNothing() {
        FindRelatedSegments.Result result = relations.find(Query.of(ThreeTextCanon.ROOT, 500, 600));

        assertThat(result).isEqualTo(new FindRelatedSegments.Related(List.of()));
    }

    @Test
    void anUnavailableGraphPropagatesAsTheTransientFault() {
        FindRelatedSegments down = SegmentRelations.over(new InterceptingGraph(canon, () -> {
            throw new GraphUnavailableException("graph is down");
        }));

        assertThatThrownBy(() -> down.find(Query.of(ThreeTextCanon.ROOT, 10, 20)))
                .isInstanceOf(GraphUnavailableException.class);
    }
}
