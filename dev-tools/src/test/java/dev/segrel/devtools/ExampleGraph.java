package dev.segrel.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** docs/examples/small-canon.cypher and the answer docs/examples/README.md gives for it. */
final class ExampleGraph {

    static final String MARKER = "<!-- expected: segrel related --manifestation root-bo --start 40 --end 50 --json -->";

    private ExampleGraph() {}

    static Path file() {
        return DevRun.repositoryRoot().resolve("docs/examples/small-canon.cypher");
    }

    /** The JSON block that follows the marker in the examples' README. */
    static JsonNode expectedAnswer() throws IOException {
        String readme = Files.readString(DevRun.repositoryRoot().resolve("docs/examples/README.md"), StandardCharsets.UTF_8);
        int marker = readme.indexOf(MARKER);
        assertThat(marker).as("marker in docs/examples/README.md").isNotNegative();
        int start = readme.indexOf("```json", marker) + "```json".length();
        int end = readme.indexOf("```", start);
        return new ObjectMapper().readTree(readme.substring(start, end));
    }
}
