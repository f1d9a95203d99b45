package dev.segrel.devstack.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

class EmbeddedNeo4jTest {

    private static EmbeddedNeo4j neo4j;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        neo4j = EmbeddedNeo4j.start(0);
        neo4j.createSchema();
    }

    @AfterAll
    static void stop() {
        int port = neo4j.boltPort();
        long t0 = System.nanoTime();
        neo4j.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        // a figure, not a bound (docs/benchmarks.md): what closing must do is free the port
        System.out.println("embedded Neo4j: start " + neo4j.startTime().toMillis() + " ms, stop " + took.toMillis() + " ms");
        assertThat(dev.segrel.devstack.LoopbackPorts.listening(port)).as("bolt port closed").isFalse();
    }

    @BeforeEach
    void empty() {
        neo4j.clear();
    }

    @Test
    void boltIsServedOnLoopbackAndAnsweredByTheDriver() {
        assertThat(neo4j.boltUri()).matches("bolt://127\\.0\\.0\\.1:\\d+");
        neo4j.execute("CREATE (:Manifestation {id: $id})", Map.of("id", "M1"));

        try (Driver driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.none())) {
            long n = driver.executableQuery("MATCH (m:Manifestation) RETURN count(m) AS n").execute()
                    .records().get(0).get("n").asLong();
            assertThat(n).isEqualTo(1);
        }
    }

    @Test
    void createSchemaIsIdempotentAndEnforcesUniqueIds() {
        neo4j.createSchema();
        neo4j.execute("CREATE (:Segment {id: 's'})", Map.of());

        assertThatThrownBy(() -> neo4j.execute("CREATE (:Segment {id: 's'})", Map.of()))
                .hasMessageContaining("already exists");
    }

    @Test
    void loadRunsEveryStatementOfAFileAndReportsProgress() throws IOException {
        Path file = dir.resolve("graph.cypher");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("// a fixture with tricky text\n");
            w.write("CREATE (:Manifestation {id: 'M;1', title: 'l\\'été; \"quoted\"'});\n");
            w.write("/* many segments in one statement */\nUNWIND [");
            for (int i = 0; i < 20_000; i++) {
                w.write((i == 0 ? "" : ",") + "{id: 'seg-" + i + "', s: " + i + "}");
            }
            w.write("] AS row CREATE (:Segment {id: row.id, span_start: row.s, span_end: row.s + 1});\n");
            w.write("MATCH (s:Segment) WHERE s.span_start < 10 SET s:Early");
        }
        List<long[]> updates = new ArrayList<>();

        long run = neo4j.load(file, (bytes, total, statements) -> updates.add(new long[] {bytes, total, statements}));

        assertThat(run).isEqualTo(3);
        assertThat(count("MATCH (m:Manifestation {id: 'M;1', title: 'l\\'été; \"quoted\"'}) RETURN count(m)")).isEqualTo(1);
        assertThat(count("MATCH (s:Segment) RETURN count(s)")).isEqualTo(20_000);
        assertThat(count("MATCH (s:Early) RETURN count(s)")).isEqualTo(10);
        long size = Files.size(file);
        assertThat(updates).last().satisfies(u -> assertThat(u).containsExactly(size, size, 3));
        assertThat(updates).extracting(u -> u[2]).isSorted();
    }

    @Test
    void aFailingStatementIsNamedByItsNumber() throws IOException {
        Path file = dir.resolve("bad.cypher");
        Files.writeString(file, "CREATE (:A);\nTHIS IS NOT CYPHER;\n");

        assertThatThrownBy(() -> neo4j.load(file, LoadProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("statement 2 of");
    }

    @Test
    void clearDeletesEveryNode() {
        neo4j.execute("UNWIND range(1, 25000) AS i CREATE (:Segment {id: toString(i)})", Map.of());

        neo4j.clear();

        assertThat(count("MATCH (n) RETURN count(n)")).isZero();
    }

    private static long count(String cypher) {
        return neo4j.database().executeTransactionally(cypher, Map.of(),
                r -> ((Number) r.next().values().iterator().next()).longValue());
    }
}
