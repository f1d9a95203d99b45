package dev.segrel.worker;

import static dev.segrel.testkit.graph.GraphFixture.seg;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.InterceptingGraph;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/** A small canon shared by the worker tests, and fault-injecting graph wrappers. */
final class WorkerFixtures {

    private WorkerFixtures() {}

    /** M1 (segments S0..S9 of 10 chars) aligned 1:1 to M2 (T0..T9). */
    static GraphFixture twoTexts() {
        GraphFixture f = new GraphFixture().manifestation("M1").manifestation("M2");
        Segment[] m1 = new Segment[10];
        Segment[] m1a = new Segment[10];
        Segment[] m2 = new Segment[10];
        Segment[] m2a = new Segment[10];
        for (int i = 0; i < 10; i++) {
            m1[i] = seg("S" + i, i * 10, i * 10 + 10);
            m1a[i] = seg("A" + i, i * 10, i * 10 + 10);
            m2[i] = seg("T" + i, i * 10, i * 10 + 10);
            m2a[i] = seg("B" + i, i * 10, i * 10 + 10);
        }
        f.segmentation("M1", "M1-seg", m1).alignment("M1", "M1-al", m1a);
        f.segmentation("M2", "M2-seg", m2).alignment("M2", "M2-al", m2a);
        f.linkAnnotations("M1-al", "M2-al");
        for (int i = 0; i < 10; i++) {
            f.linkSegments("A" + i, "B" + i);
        }
        return f;
    }

    /** What the BFS gives for segment S{i} of M1 in {@link #twoTexts()}. */
    static List<Mapping> expectedFor(int i) {
        return List.of(new Mapping("M2", List.of(Segment.of("T" + i, i * 10, i * 10 + 10))));
    }


    /** A jitter source that always picks the lower end: backoffs are exact in tests. */
    static RandomGenerator lowJitter() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0;
            }

            @Override
            public long nextLong(long origin, long bound) {
                return origin;
            }
        };
    }

    /** A graph that is unreachable while {@code down} is positive, counting calls down. */
    static final class FlakyGraph {
        final AtomicInteger down = new AtomicInteger();
        final AlignmentGraph graph;

        FlakyGraph(AlignmentGraph delegate) {
            this.graph = new InterceptingGraph(delegate, () -> {
                if (down.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new GraphUnavailableException("graph at bolt://neo4j:***@graph:7687 is unavailable");
                }
            });
        }
    }

    /** A second in-process Neo4j holding {@code graph}, for tests of a second environment; the caller closes it. */
    static EmbeddedNeo4j secondGraph(GraphFixture graph) {
        EmbeddedNeo4j server = EmbeddedNeo4j.start(0);
        server.createSchema();
        graph.statements(server::execute);
        return server;
    }
}
