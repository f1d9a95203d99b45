package dev.segrel.testkit.graph;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.devstack.neo4j.CypherScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphFixtureTest {

    @Test
    void theCypherScriptHasOneStatementPerParameterisedStatement() {
        GraphFixture f = new GraphFixture()
                .manifestation("A;1", "E")
                .segmentation("A;1", "s'1", seg("a;'\\", 0, 10))
                .alignment("A;1", "al", seg("x", 0, 10))
                .alignment("B", "bl", seg("y", 0, 10))
                .linkAnnotations("al", "bl")
                .linkSegments("x", "y");
        List<String> statements = new ArrayList<>();
        f.statements((cypher, params) -> statements.add(cypher));

        List<String> script = CypherScript.split(f.toCypherScript());

        assertThat(script).hasSameSizeAs(statements);
        assertThat(script.get(0)).startsWith("WITH 'A;1' AS id").doesNotContain("$");
    }

    @Test
    void literalsEscapeQuotesBackslashesAndNewlines() {
        assertThat(GraphFixture.literal("it's \\ \"x\"\n")).isEqualTo("'it\\'s \\\\ \"x\"\\n'");
        assertThat(GraphFixture.literal(List.of(1, Map.of("we`ird", "v")))).isEqualTo("[1, {`we``ird`: 'v'}]");
    }

    @Test
    void anAnnotationIdIsUsedOnce() {
        assertThatThrownBy(() -> new GraphFixture().segmentation("A", "x").alignment("B", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("annotation x");
    }
}
