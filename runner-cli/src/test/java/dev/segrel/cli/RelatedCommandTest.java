package dev.segrel.cli;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.testkit.graph.InterceptingGraph;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelatedCommandTest {

    /*
     * A [0,30) in three segments; its alignment links a1' [0,10) to B's b1' [0,20) and a2' [10,30)
     * to b2' [20,40) and b3' [40,50) (1:n). B's segmentation: b1 [0,25) b2 [25,50). C has only a
     * segmentation: nothing is aligned to it.
     */
    static final GraphFixture FIXTURE = new GraphFixture()
            .segmentation("A", "A-seg", seg("a1", 0, 10), seg("a2", 10, 20), seg("a3", 20, 30))
            .alignment("A", "A-al", seg("A-x1", 0, 10), seg("A-x2", 10, 30))
            .segmentation("B", "B-seg", seg("b1", 0, 25), seg("b2", 25, 50))
            .alignment("B", "B-al", seg("B-x1", 0, 20), seg("B-x2", 20, 40), seg("B-x3", 40, 50))
            .segmentation("C", "C-seg", seg("c1", 0, 10))
            .linkAnnotations("A-al", "B-al")
            .linkSegments("A-x1", "B-x1")
            .linkSegments("A-x2", "B-x2", "B-x3");

    static Settings settings;

    @BeforeAll
    static void loadFixture() {
        TestingNeo4j.get().load(FIXTURE);
        settings = CliRun.testNeo4j();
    }

    @Test
    void jsonPrintsTheMappingsInTheWireShapeAndNothingElse() {
        CliRun run = CliRun.run(settings, "related", "--manifestation", "A", "--start", "12", "--end", "18", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("[{\"manifestation_id\":\"B\",\"segments\":["
                + "{\"segment_id\":\"b1\",\"span\":{\"start\":0,\"end\":25}},"
                + "{\"segment_id\":\"b2\",\"span\":{\"start\":25,\"end\":50}}]}]" + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void withoutJsonPrintsOneTableRowPerSegment() {
        CliRun run = CliRun.run(settings, "related", "-m", "A", "--start", "0", "--end", "5");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "MANIFESTATION  SEGMENT  START  END",
                "B              b1           0   25");
    }

    @Test
    void aManifestationWithoutAlignmentsSaysThatNothingIsRelated() {
        CliRun run = CliRun.run(settings, "related", "-m", "C", "--start", "0", "--end", "5");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("No other manifestation is related to C [0, 5)." + System.lineSeparator());
    }

    @Test
    void alignmentModeListsTheAlignedSegmentsThemselves() {
        CliRun run = CliRun.run(settings, "related", "-m", "A", "--start", "12", "--end", "18", "--mode", "alignment",
                "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("[{\"manifestation_id\":\"B\",\"segments\":["
                + "{\"segment_id\":\"B-x2\",\"span\":{\"start\":20,\"end\":40}},"
                + "{\"segment_id\":\"B-x3\",\"span\":{\"start\":40,\"end\":50}}]}]");
    }

    @Test
    void anInvalidSpanExits2WithOneLineAndNoOutput() {
        for (String[] span : List.of(new String[] {"10", "10"}, new String[] {"-1", "5"}, new String[] {"7", "3"})) {
            CliRun run = CliRun.run(settings, "related", "-m", "A", "--start", span[0], "--end", span[1], "--json");

            assertThat(run.exitCode()).as("span %s", (Object) span).isEqualTo(ExitCodes.USAGE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines()).singleElement().asString().startsWith("segrel: invalid span: ");
        }
    }

    @Test
    void aSpanThatIsNotANumberIsAUsageErrorOnOneLine() {
        CliRun run = CliRun.run(settings, "related", "-m", "A", "--start", "ten", "--end", "20");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString()
                .contains("'ten' is not an int").contains("segrel related --help");
    }

    @Test
    void anUnknownManifestationExits3NamingIt() {
        CliRun run = CliRun.run(settings, "related", "-m", "no-such-text", "--start", "0", "--end", "5", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString()
                .contains("manifestation 'no-such-text' not found");
    }

    @Test
    void anUnreachableNeo4jExits4NamingTheUriButNotThePassword() throws IOException {
        int closedPort = LoopbackPorts.free();
        Settings unreachable = Settings.of(Map.of(
                "NEO4J_URI", "bolt://admin:uri-secret-pw@127.0.0.1:" + closedPort,
                "NEO4J_USER", "admin",
                "NEO4J_PASSWORD", "env-secret-pw"));

        CliRun run = CliRun.run(unreachable, "related", "-m", "A", "--start", "0", "--end", "5");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString()
                .contains("bolt://admin:***@127.0.0.1:" + closedPort)
                .doesNotContain("uri-secret-pw")
                .doesNotContain("env-secret-pw");
    }

    @Test
    void credentialsTheServerRefusesExit4NamingTheUserButNotThePassword() {
        // the shared test server runs without authentication: this one checks credentials
        try (EmbeddedNeo4j guarded = EmbeddedNeo4j.startWithAuthentication(0)) {
            Settings wrong = Settings.of(Map.of(
                    "NEO4J_URI", guarded.boltUri(),
                    "NEO4J_USER", "neo4j",
                    "NEO4J_PASSWORD", "wrong-secret-pw"));

            CliRun run = CliRun.run(wrong, "related", "-m", "A", "--start", "0", "--end", "5");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines()).singleElement().asString()
                    .contains("refused the credentials of user 'neo4j'")
                    .contains(guarded.boltUri())
                    .doesNotContain("wrong-secret-pw");
        }
    }

    @Test
    void anInvalidConfigurationIsBadInput() {
        CliRun run = CliRun.run(Settings.of(Map.of("NEO4J_URI", "http://user:pw-secret@host")),
                "related", "-m", "A", "--start", "0", "--end", "5");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("NEO4J_URI").doesNotContain("pw-secret");
    }

    @Test
    void batchAnswersEveryLineInInputOrderWithErrorLinesForBadOnes() {
        String input = String.join("\n",
                "{\"manifestation_id\":\"A\",\"start\":0,\"end\":5,\"segment_id\":\"a1\"}",
                "this is not json",
                "",
                "{\"manifestation_id\":\"A\",\"start\":9,\"end\":3}",
                "   ",
                "{\"manifestation_id\":\"nowhere\",\"start\":0,\"end\":5}",
                "{\"manifestation_id\":\"A\",\"start\":12,\"end\":18,\"mode\":\"alignment\",\"extra\":true}",
                "[1,2]",
                "{\"manifestation_id\":\"A\",\"start\":\"0\",\"end\":5}",
                "{\"manifestation_id\":\"A\",\"start\":0,\"end\":5,\"mode\":\"sideways\"}",
                "{\"manifestation_id\":\"C\",\"start\":0,\"end\":5}");

        CliRun run = CliRun.run(CliRun.context(settings, input), "related", "--batch", "-");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).containsExactly(
                "{\"query\":{\"manifestation_id\":\"A\",\"start\":0,\"end\":5,\"segment_id\":\"a1\"},\"mappings\":"
                        + "[{\"manifestation_id\":\"B\",\"segments\":[{\"segment_id\":\"b1\",\"span\":{\"start\":0,\"end\":25}}]}]}",
                // segrel's own parser's wording, pinned: it names the character and the offset
                "{\"query\":\"this is not json\",\"error\":\"not JSON: unexpected character 't', expected a value at offset 0\"}",
                "{\"query\":{\"manifestation_id\":\"A\",\"start\":9,\"end\":3},"
                        + "\"error\":\"invalid span: span start must be < end, was [9, 3)\"}",
                "{\"query\":{\"manifestation_id\":\"nowhere\",\"start\":0,\"end\":5},"
                        + "\"error\":\"manifestation 'nowhere' not found in Neo4j at " + TestingNeo4j.get().boltUri() + "\"}",
                "{\"query\":{\"manifestation_id\":\"A\",\"start\":12,\"end\":18,\"mode\":\"alignment\",\"extra\":true},"
                        + "\"mappings\":[{\"manifestation_id\":\"B\",\"segments\":["
                        + "{\"segment_id\":\"B-x2\",\"span\":{\"start\":20,\"end\":40}},"
                        + "{\"segment_id\":\"B-x3\",\"span\":{\"start\":40,\"end\":50}}]}]}",
                "{\"query\":[1,2],\"error\":\"a query must be a JSON object with manifestation_id, start and end\"}",
                "{\"query\":{\"manifestation_id\":\"A\",\"start\":\"0\",\"end\":5},"
                        + "\"error\":\"\\\"start\\\" must be a whole number\"}",
                "{\"query\":{\"manifestation_id\":\"A\",\"start\":0,\"end\":5,\"mode\":\"sideways\"},"
                        + "\"error\":\"mode must be segmentation or alignment, was 'sideways'\"}",
                "{\"query\":{\"manifestation_id\":\"C\",\"start\":0,\"end\":5},\"mappings\":[]}");
    }

    @Test
    void batchReadsAFileToo(@TempDir Path dir) throws IOException {
        Path queries = Files.writeString(dir.resolve("queries.jsonl"),
                "{\"manifestation_id\":\"B\",\"start\":0,\"end\":5}\n", StandardCharsets.UTF_8);

        CliRun run = CliRun.run(settings, "related", "--batch", queries.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).singleElement().asString().isEqualTo(
                "{\"query\":{\"manifestation_id\":\"B\",\"start\":0,\"end\":5},\"mappings\":"
                        + "[{\"manifestation_id\":\"A\",\"segments\":[{\"segment_id\":\"a1\",\"span\":{\"start\":0,\"end\":10}}]}]}");
    }

    @Test
    void aMissingBatchFileExits2NamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("missing.jsonl");

        CliRun run = CliRun.run(settings, "related", "--batch", missing.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains(missing.toString()).contains("no such file");
    }

    @Test
    void batchAndASingleQueryAreMutuallyExclusive() {
        CliRun run = CliRun.run(settings, "related", "--batch", "-", "-m", "A", "--start", "0", "--end", "5");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("mutually exclusive");
    }

    @Test
    void whenNeo4jBecomesUnreachableBatchAnswersTheQueryAtHandWithAnErrorAndExits4() {
        AtomicInteger calls = new AtomicInteger();
        Module failingAfterTwoCalls = new AbstractModule() {
            @Provides
            @Singleton
            AlignmentGraph flaky(Neo4jAlignmentGraph real) {
                return new InterceptingGraph(real, () -> {
                    if (calls.incrementAndGet() > 2) {
                        throw new GraphUnavailableException("Neo4j went away");
                    }
                });
            }
        };
        String input = "{\"manifestation_id\":\"C\",\"start\":0,\"end\":5}\n"
                + "{\"manifestation_id\":\"A\",\"start\":0,\"end\":5}\n"
                + "{\"manifestation_id\":\"A\",\"start\":5,\"end\":9}\n";
        CliContext context = new CliContext(() -> settings,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), () -> { }, List.of(failingAfterTwoCalls));

        CliRun run = CliRun.run(context, "related", "--batch", "-");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.out().lines()).hasSize(2);
        assertThat(run.out().lines().toList().get(0)).contains("\"mappings\":[]");
        assertThat(run.out().lines().toList().get(1)).contains("\"error\":\"Neo4j went away\"");
        assertThat(run.err().lines()).singleElement().isEqualTo("segrel: Neo4j went away");
    }

    @Test
    void anUnexpectedErrorIsOneLineWithoutVerboseAndAStackTraceWithIt() {
        Module broken = new AbstractModule() {
            @Provides
            AlignmentGraph broken() {
                throw new IllegalStateException("a bug\nover two lines");
            }
        };
        CliContext context = new CliContext(() -> settings, new ByteArrayInputStream(new byte[0]), () -> { },
                List.of(broken));

        CliRun quiet = CliRun.run(context, "related", "-m", "A", "--start", "0", "--end", "5");
        CliRun verbose = CliRun.run(context, "related", "-m", "A", "--start", "0", "--end", "5", "--verbose");

        assertThat(quiet.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(quiet.err().lines()).singleElement().asString()
                .isEqualTo("segrel: internal error: java.lang.IllegalStateException: a bug over two lines"
                        + " (rerun with --verbose for the stack trace)");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(verbose.err()).contains("\tat dev.segrel.cli.");
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun run = CliRun.run(settings, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("related").contains("job").contains("doctor").contains("Exit codes:")
                .contains("3  not found").contains("4  a dependency is unreachable");
    }

    @Test
    void aMissingCommandIsAUsageError() {
        CliRun run = CliRun.run(settings);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("missing command");
    }
}
