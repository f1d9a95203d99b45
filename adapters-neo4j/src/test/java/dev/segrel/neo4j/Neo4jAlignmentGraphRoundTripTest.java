package dev.segrel.neo4j;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.devstack.neo4j.LoadProgress;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Neo4jAlignmentGraphRoundTripTest {

    private static final int SEGMENTS = 250;

    private static Neo4jAlignmentGraph graph;

    @BeforeAll
    static void connect() {
        TestingNeo4j neo4j = TestingNeo4j.get();
        graph = Neo4jAlignmentGraph.connect(Neo4jConfig.of(neo4j.boltUri(), neo4j.user(), neo4j.password()));
        graph.verifyConnectivity();
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    /**
     * A -> {B1, B2, B3} -> {C1, C2, C3} -> {D1, D2, D3}, each manifestation with {@value #SEGMENTS}
     * segments [10i, 10i+10) aligned one to one with the next one's.
     */
    static GraphFixture wideAndDeep() {
        GraphFixture f = new GraphFixture();
        addManifestation(f, "A");
        for (int k = 1; k <= 3; k++) {
            for (String level : List.of("B", "C", "D")) {
                addManifestation(f, level + k);
            }
            link(f, "A", "B" + k);
            link(f, "B" + k, "C" + k);
            link(f, "C" + k, "D" + k);
        }
        return f;
    }

    @Test
    void aThreeLevelSearchOverManySegmentsCostsAtMostTwoQueriesPerLevel() {
        TestingNeo4j.get().load(wideAndDeep());
        long before = graph.roundTrips();

        List<Mapping> mappings = SegmentRelations.over(graph).mappings(Query.of("A", 0, SEGMENTS * 10));

        long queries = graph.roundTrips() - before;
        assertThat(mappings).extracting(Mapping::manifestationId)
                .containsExactly("B1", "B2", "B3", "C1", "C2", "C3", "D1", "D2", "D3");
        assertThat(mappings).allSatisfy(m -> assertThat(m.segments()).hasSize(SEGMENTS));
        // levels A, B*, C* reach something (2 queries each); level D* reaches nothing (1 query)
        assertThat(queries).isLessThanOrEqualTo(2 * 3 + 1).isEqualTo(7);
    }

    @Test
    void aFixtureLoadedFromItsCypherScriptAnswersLikeOneWrittenWithParameters(@TempDir Path dir) throws IOException {
        EmbeddedNeo4j embedded = TestingNeo4j.get().embedded().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(embedded != null, "needs the embedded server");
        GraphFixture f = wideAndDeep();
        TestingNeo4j.get().load(f);
        List<Mapping> written = SegmentRelations.over(graph).mappings(Query.of("B2", 100, 200));

        TestingNeo4j.get().reset();
        Path script = dir.resolve("fixture.cypher");
        Files.writeString(script, f.toCypherScript());
        long statements = embedded.load(script, LoadProgress.NONE);
        List<Mapping> loaded = SegmentRelations.over(graph).mappings(Query.of("B2", 100, 200));

        assertThat(statements).isGreaterThan(10);
        assertThat(loaded).isEqualTo(written).isNotEmpty();
        // B2's pairs: (B2<A, A>B2) then (B2>C2, C2<B2) ('<' sorts before '>'): A, C2; then A reaches B1,
        // B3 and C2 reaches D2; then B1 -> C1, B3 -> C3; then C1 -> D1, C3 -> D3
        assertThat(loaded).extracting(Mapping::manifestationId)
                .containsExactly("A", "C2", "B1", "B3", "D2", "C1", "C3", "D1", "D3");
    }

    @Test
    void idsThatNeedEscapingSurviveTheCypherScript(@TempDir Path dir) throws IOException {
        EmbeddedNeo4j embedded = TestingNeo4j.get().embedded().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(embedded != null, "needs the embedded server");
        String m1 = "M'1 \"q\" \\ ;";
        String m2 = "M2 `tick` /* not a comment */ // nor this\n é 文 😀";
        GraphFixture f = new GraphFixture()
                .manifestation(m1, "E'\\")
                .segmentation(m1, "seg;'1", seg("s'1\t", 0, 10))
                .alignment(m1, "al\\1", seg("x\"1", 0, 10))
                .segmentation(m2, "seg\\2", seg("ß😀 2", 0, 7), seg("s\\2'b", 7, 20))
                .alignment(m2, "al'2", seg("y`1", 3, 25))
                .linkAnnotations("al\\1", "al'2")
                .linkSegments("x\"1", "y`1");
        Path script = dir.resolve("escapes.cypher");
        Files.writeString(script, f.toCypherScript());
        TestingNeo4j.get().reset();

        embedded.load(script, LoadProgress.NONE);

        assertThat(SegmentRelations.over(graph).mappings(Query.of(m1, 0, 10))).containsExactly(
                new Mapping(m2, List.of(seg("ß😀 2", 0, 7), seg("s\\2'b", 7, 20))));
        assertThat(graph.segmentsOf(m1, dev.segrel.core.domain.SegmentSource.SEGMENTATION))
                .containsExactly(seg("s'1\t", 0, 10));
    }

    @Test
    void theGuiceModuleBindsOneSharedGraph() {
        TestingNeo4j neo4j = TestingNeo4j.get();
        Injector injector = Guice.createInjector(
                new Neo4jModule(Neo4jConfig.of(neo4j.boltUri(), neo4j.user(), neo4j.password())),
                binder -> binder.bind(dev.segrel.core.config.Settings.class)
                        .toInstance(dev.segrel.core.config.Settings.of(java.util.Map.of())));

        Neo4jAlignmentGraph first = injector.getInstance(Neo4jAlignmentGraph.class);
        try (Neo4jAlignmentGraph owned = injector.getInstance(Neo4jAlignmentGraph.class)) {
            assertThat(first).isSameAs(owned);
            owned.verifyConnectivity();
            assertThat(injector.getInstance(dev.segrel.core.port.out.SliceSource.class).load("NOPE").pairs()).isEmpty();
        }
    }

    private static void addManifestation(GraphFixture f, String m) {
        List<Segment> segmentation = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            segmentation.add(seg(m + "-s" + i, i * 10, i * 10 + 10));
        }
        f.annotation(m, m + "-seg", GraphFixture.Type.SEGMENTATION, segmentation);
    }

    /** An alignment annotation on each side, segments aligned one to one. */
    private static void link(GraphFixture f, String from, String to) {
        List<Segment> left = new ArrayList<>();
        List<Segment> right = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            left.add(seg(from + ">" + to + "-" + i, i * 10, i * 10 + 10));
            right.add(seg(to + "<" + from + "-" + i, i * 10, i * 10 + 10));
        }
        f.annotation(from, from + ">" + to, GraphFixture.Type.ALIGNMENT, left);
        f.annotation(to, to + "<" + from, GraphFixture.Type.ALIGNMENT, right);
        f.linkAnnotations(from + ">" + to, to + "<" + from);
        for (int i = 0; i < SEGMENTS; i++) {
            f.linkSegments(left.get(i).id(), right.get(i).id());
        }
    }
}
