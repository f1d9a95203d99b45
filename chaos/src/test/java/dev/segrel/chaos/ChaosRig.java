package dev.segrel.chaos;


import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Span;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.oracle.NonTrivialAnswers;
import dev.segrel.testkit.oracle.ReferenceRelations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers every scenario of this JVM shares, started once: Neo4j with the canon loaded (behind a
 * {@link TcpProxy} the scenarios can cut), a restartable PostgreSQL, and the SQS server of the testkit.
 * Each scenario takes a fresh schema and fresh queues ({@link ChaosJob}).
 */
final class ChaosRig {

    /** {@code -Dchaos.full=true}: the sizes (2,000 segments, 3 workers); else a reduced, documented size. */
    static final boolean FULL = Boolean.getBoolean("chaos.full");
    static final int SEGMENTS = Integer.getInteger("chaos.segments", FULL ? 2_000 : 300);
    /**
     * Root segments in the graph: four times a job's, so that a scenario that needs a longer job (the
     * health flood, measuring a rate in parts of it) has the segments for one.
     */
    static final int GRAPH_SEGMENTS = SEGMENTS * 4;
    static final int WORKERS = 3;
    static final String ROOT = ThreeTextCanon.ROOT;

    private static ChaosRig instance;

    final GraphFixture graph;
    final Map<String, List<Mapping>> expected;
    final TcpProxy neo4jProxy;
    final ChaosPostgres postgres;
    final long graphNodes;

    private ChaosRig(GraphFixture graph, Map<String, List<Mapping>> expected, TcpProxy neo4jProxy,
            ChaosPostgres postgres, long graphNodes) {
        this.graph = graph;
        this.expected = expected;
        this.neo4jProxy = neo4jProxy;
        this.postgres = postgres;
        this.graphNodes = graphNodes;
    }

    static synchronized ChaosRig get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static ChaosRig start() {
        GraphFixture graph = ThreeTextCanon.of(GRAPH_SEGMENTS);
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(graph);
        Map<String, List<Mapping>> expected = expectedAnswers(graph, GRAPH_SEGMENTS);
        URI bolt = URI.create(neo4j.boltUri());
        TcpProxy proxy;
        try {
            proxy = new TcpProxy(bolt.getHost(), bolt.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChaosPostgres postgres = ChaosPostgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            postgres.close();
        }, "chaos-rig-stop"));
        return new ChaosRig(graph, expected, proxy, postgres, nodeCount());
    }

    static long nodeCount() {
        try (var session = TestingNeo4j.get().driver().session()) {
            return session.run("MATCH (n) RETURN count(n) AS n").single().get("n").asLong();
        }
    }

    /** The bolt URI workers use: through the proxy. */
    String neo4jUri() {
        return "bolt://127.0.0.1:" + neo4jProxy.port();
    }

    /**
     * The expected answer of each root segment, from the independent oracle (testkit's
     * ReferenceRelations, written from DESIGN §3), never from the search under test; refused if
     * trivial (an empty answer, or fewer than all root segments reaching two levels), so that a BFS
     * that returns nothing or drops a level cannot pass a scenario.
     */
    static Map<String, List<Mapping>> expectedAnswers(GraphFixture graph, int segments) {
        ReferenceRelations oracle = ReferenceRelations.of(graph);
        Map<String, List<Mapping>> expected = new HashMap<>();
        for (int i = 0; i < segments; i++) {
            Span span = span(i);
            expected.put("r" + i, oracle.mappings(ROOT, span.start(), span.end()));
        }
        NonTrivialAnswers.require(expected.values(), segments);
        return expected;
    }

    static Span span(int i) {
        return ThreeTextCanon.rootSpan(i);
    }

}
