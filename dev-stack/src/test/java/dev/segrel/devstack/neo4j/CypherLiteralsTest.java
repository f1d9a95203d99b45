package dev.segrel.devstack.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CypherLiteralsTest {

    @Test
    void aLargeUnwindListBecomesAParameterWithTheSameValues() {
        String statement = "UNWIND [{id: 'a\\'1', n: 1, x: -2.5e1, ok: true, none: null, `we ird`: [1, 'two']},"
                + " {id: \"b\\u00e9\\\\\", n: 9223372036854775807}] AS row CREATE (:N {id: row.id})";

        CypherLiterals.Parameterised p = CypherLiterals.parameterise(statement, 10);

        assertThat(p.cypher()).isEqualTo("UNWIND $__segrel_literal_0 AS row CREATE (:N {id: row.id})");
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("id", "a'1");
        first.put("n", 1L);
        first.put("x", -25.0);
        first.put("ok", true);
        first.put("none", null);
        first.put("we ird", List.of(1L, "two"));
        assertThat(p.params()).containsOnlyKeys("__segrel_literal_0");
        assertThat(p.params().get("__segrel_literal_0"))
                .isEqualTo(List.of(first, Map.of("id", "bé\\", "n", Long.MAX_VALUE)));
    }

    @Test
    void smallListsPatternsComprehensionsAndIndexesAreLeftAlone() {
        String[] untouched = {
            "UNWIND [1, 2] AS x RETURN x",
            "MATCH (a)-[r:T]->(b) RETURN a",
            "MATCH (a)-[*1..3]-(b) RETURN a",
            "WITH [x IN range(1, 100000) | x * 2] AS xs RETURN xs",
            "WITH [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] AS xs RETURN xs[0]",
            "RETURN '[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]' AS text",
            "UNWIND [0x1F, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19] AS x RETURN x",
            "UNWIND [$a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19] AS x RETURN x",
        };

        for (String statement : untouched) {
            CypherLiterals.Parameterised p = CypherLiterals.parameterise(statement, 30);
            if (statement.startsWith("WITH [1, 2")) {
                // the literal list after WITH goes, the index stays
                assertThat(p.cypher()).isEqualTo("WITH $__segrel_literal_0 AS xs RETURN xs[0]");
            } else {
                assertThat(p.cypher()).as(statement).isEqualTo(statement);
                assertThat(p.params()).as(statement).isEmpty();
            }
        }
    }

    @Test
    void severalListsGetSeveralParameters() {
        String statement = "WITH ['aaaaaaaaaa', 'bbbbbbbbbb'] AS xs, [1.5, 2.5, 3.5, 4.5, 5.5] AS ys RETURN xs, ys";

        CypherLiterals.Parameterised p = CypherLiterals.parameterise(statement, 10);

        assertThat(p.cypher()).isEqualTo("WITH $__segrel_literal_0 AS xs, $__segrel_literal_1 AS ys RETURN xs, ys");
        assertThat(p.params()).containsEntry("__segrel_literal_0", List.of("aaaaaaaaaa", "bbbbbbbbbb"))
                .containsEntry("__segrel_literal_1", Arrays.asList(1.5, 2.5, 3.5, 4.5, 5.5));
    }
}
