package dev.segrel.chaos;

import static dev.segrel.testkit.graph.GraphFixture.seg;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InMemoryAlignmentGraph;
import dev.segrel.testkit.graph.TestingNeo4j;
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

    /** {@code -Dchaos.full=true}: the issue's sizes (2,000 segments, 3 workers); else a reduced, documented size. */
    static final boolean FULL = Boolean.getBoolean("chaos.full");
    static final int SEGMENTS = Integer.getInteger("chaos.segments", FULL ? 2_000 : 300);
    static final int WORKERS = 3;
    static final String ROOT = "R";

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
        GraphFixture graph = canon(SEGMENTS);
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(graph);
        FindRelatedSegments direct = SegmentRelations.over(InMemoryAlignmentGraph.of(graph));
        Map<String, List<Mapping>> expected = new HashMap<>();
        for (int i = 0; i < SEGMENTS; i++) {
            expected.put("r" + i, direct.mappings(new FindRelatedSegments.Query(ROOT, span(i), RelationMode.SEGMENTATION)));
        }
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

    static Span span(int i) {
        return new Span(i * 10, i * 10 + 10);
    }

    /**
     * Root R (segments r0..r{n-1}) aligned 1:1 to translation T, T aligned 2:1 to commentary C: every
     * segment of R relates to one segment of T and one of C, two levels of BFS.
     */
    static GraphFixture canon(int n) {
        GraphFixture f = new GraphFixture().manifestation("R").manifestation("T").manifestation("C");
        Segment[] r = new Segment[n];
        Segment[] ra = new Segment[n];
        Segment[] t = new Segment[n];
        Segment[] ta = new Segment[n];
        Segment[] tc = new Segment[n];
        int half = (n + 1) / 2;
        Segment[] c = new Segment[half];
        Segment[] ca = new Segment[half];
        for (int i = 0; i < n; i++) {
            r[i] = seg("r" + i, i * 10, i * 10 + 10);
            ra[i] = seg("ra" + i, i * 10, i * 10 + 10);
            t[i] = seg("t" + i, i * 12, i * 12 + 12);
            ta[i] = seg("ta" + i, i * 12, i * 12 + 12);
            tc[i] = seg("tc" + i, i * 12, i * 12 + 12);
        }
        for (int i = 0; i < half; i++) {
            c[i] = seg("c" + i, i * 30, i * 30 + 30);
            ca[i] = seg("ca" + i, i * 30, i * 30 + 30);
        }
        f.segmentation("R", "R-seg", r).alignment("R", "R-al", ra);
        f.segmentation("T", "T-seg", t).alignment("T", "T-al", ta).alignment("T", "T-al-c", tc);
        f.segmentation("C", "C-seg", c).alignment("C", "C-al", ca);
        f.linkAnnotations("R-al", "T-al").linkAnnotations("T-al-c", "C-al");
        for (int i = 0; i < n; i++) {
            f.linkSegments("ra" + i, "ta" + i);
            f.linkSegments("tc" + i, "ca" + (i / 2));
        }
        return f;
    }
}
