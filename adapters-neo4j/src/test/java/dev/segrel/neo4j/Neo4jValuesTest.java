package dev.segrel.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.neo4j.driver.Values;

class Neo4jValuesTest {

    @Test
    void idsWrittenAsNumbersAreReadAsTheirText() {
        assertThat(Neo4jAlignmentGraph.text(Values.value("seg-1"))).isEqualTo("seg-1");
        assertThat(Neo4jAlignmentGraph.text(Values.value(42L))).isEqualTo("42");
    }

    @Test
    void offsetsWrittenAsWholeFloatsAreReadAsIntegers() {
        assertThat(Neo4jAlignmentGraph.number(Values.value(10L))).isEqualTo(10);
        assertThat(Neo4jAlignmentGraph.number(Values.value(10.0))).isEqualTo(10);
    }
}
