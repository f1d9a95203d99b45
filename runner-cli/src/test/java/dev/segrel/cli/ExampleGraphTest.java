package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segrel.devstack.neo4j.LoadProgress;
import dev.segrel.testkit.graph.TestingNeo4j;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/examples/small-canon.cypher loads, and segrel answers what docs/examples/README.md says. */
class ExampleGraphTest {

    static final String MARKER = "<!-- expected: segrel related --manifestation root-bo --start 40 --end 50 --json -->";

    @BeforeAll
    static void loadTheExample() {
        TestingNeo4j neo4j = TestingNeo4j.get();
        Assumptions.assumeTrue(neo4j.isEmbedded(), "the example is loaded through the embedded server");
        neo4j.reset();
        long statements = neo4j.embedded().orElseThrow().load(exampleGraph(), LoadProgress.NONE);
        assertThat(statements).isPositive();
    }

    static Path exampleGraph() {
        return CliRun.repositoryRoot().resolve("docs/examples/small-canon.cypher");
    }

    /** The JSON block that follows the marker in the examples' README. */
    static JsonNode expectedAnswer() throws IOException {
        String readme = Files.readString(CliRun.repositoryRoot().resolve("docs/examples/README.md"), StandardCharsets.UTF_8);
        int marker = readme.indexOf(MARKER);
        assertThat(marker).as("marker in docs/examples/README.md").isNotNegative();
        int start = readme.indexOf("```json", marker) + "```json".length();
        int end = readme.indexOf("```", start);
        return TestJson.MAPPER.readTree(readme.substring(start, end));
    }

    @Test
    void theExampleAnswersWhatItsReadmeSays() throws IOException {
        CliRun run = CliRun.run(CliRun.testNeo4j(),
                "related", "--manifestation", "root-bo", "--start", "40", "--end", "50", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(1);
        assertThat(TestJson.MAPPER.readTree(run.out())).isEqualTo(expectedAnswer());
    }

    @Test
    void alignmentModeOnTheExampleListsTheAlignedSegmentsTheReadmeNames() {
        CliRun run = CliRun.run(CliRun.testNeo4j(),
                "related", "-m", "root-bo", "--start", "40", "--end", "50", "--mode", "alignment");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().skip(1).map(l -> l.split("\\s+")[1]))
                .containsExactly("comm-bo-ar2", "comm-bo-ar3", "root-en-ab3", "root-en-ab4",
                        "comm-en-ab2", "comm-en-ab3", "comm-en-ab4");
    }
}
