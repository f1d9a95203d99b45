package dev.segrel.cli;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code segrel related} over a graph holding a zero-length segment: named, one line, the rest answered. */
class RelatedBadGraphDataTest {

    // A [12, 18) reaches B over [20, 40), where b2 is stored as [30, 30); A [0, 5) reaches B over [0, 20) only
    static final GraphFixture FIXTURE = new GraphFixture()
            .segmentation("A", "A-seg", seg("a1", 0, 10), seg("a2", 10, 20))
            .alignment("A", "A-al", seg("A-x1", 0, 10), seg("A-x2", 10, 20))
            .segmentation("B", "B-seg", seg("b1", 0, 25), seg("b2", 25, 50))
            .alignment("B", "B-al", seg("B-x1", 0, 20), seg("B-x2", 20, 40))
            .linkAnnotations("A-al", "B-al")
            .linkSegments("A-x1", "B-x1")
            .linkSegments("A-x2", "B-x2");

    static Settings settings;

    @BeforeAll
    static void loadFixture() {
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(FIXTURE);
        try (var session = neo4j.driver().session()) {
            session.executeWriteWithoutResult(tx -> tx.run(
                    "MATCH (s:Segment {id: 'b2'}) SET s.span_start = 30, s.span_end = 30").consume());
        }
        settings = CliRun.testNeo4j();
    }

    @Test
    void aQueryReachingTheBadSegmentFailsWithOneLineNamingItAndExitCode2() {
        CliRun run = CliRun.run(settings, "related", "-m", "A", "--start", "12", "--end", "18");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("segrel: invalid graph data: segment b2 of manifestation B: span_start 30"
                + " >= span_end 30" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void inABatchOnlyTheLineReachingItGetsAnErrorAndTheOthersAreAnswered() {
        String input = "{\"manifestation_id\":\"A\",\"start\":12,\"end\":18}\n"
                + "{\"manifestation_id\":\"A\",\"start\":0,\"end\":5}";

        CliRun run = CliRun.run(CliRun.context(settings, input), "related", "--batch", "-");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "{\"query\":{\"manifestation_id\":\"A\",\"start\":12,\"end\":18},\"error\":\"invalid graph data:"
                        + " segment b2 of manifestation B: span_start 30 >= span_end 30\"}",
                "{\"query\":{\"manifestation_id\":\"A\",\"start\":0,\"end\":5},\"mappings\":[{\"manifestation_id\":"
                        + "\"B\",\"segments\":[{\"segment_id\":\"b1\",\"span\":{\"start\":0,\"end\":25}}]}]}");
    }
}
