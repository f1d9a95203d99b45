package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.SliceSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.SecurityException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * {@link SliceSource} over the Neo4j driver: one read transaction running one query per
 * manifestation, streamed into a {@link ManifestationSlice} ({@link #roundTrips()} counts them).
 * Owns its driver; thread-safe.
 */
public final class Neo4jSliceSource implements SliceSource, AutoCloseable {

    // Three row kinds in one result: 0 = alignment pair (a, b, manifestation of b), 1 = segment of
    // an alignment annotation with one linked segment (or none), 2 = segmentation segment.
    // Pattern matches mirror Neo4jAlignmentGraph's queries so both adapters read the same graph.
    static final String SLICE = """
            MATCH (:Manifestation {id: $id})<-[:ANNOTATION_OF]-(a:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'alignment'})
            MATCH (a)-[:ALIGNED_TO]-(b:Annotation)-[:ANNOTATION_OF]->(mb:Manifestation)
            RETURN DISTINCT 0 AS k, a.id AS ann, b.id AS x, mb.id AS y, null AS xs, null AS xe, null AS lid, null AS ls, null AS le
            UNION ALL
            MATCH (:Manifestation {id: $id})<-[:ANNOTATION_OF]-(a:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'alignment'})
            MATCH (sa:Segment)-[:SEGMENTATION_OF]->(a)
            OPTIONAL MATCH (sa)-[:ALIGNED_TO]-(sb:Segment)
            RETURN 1 AS k, a.id AS ann, sa.id AS x, null AS y, sa.span_start AS xs, sa.span_end AS xe,
                   sb.id AS lid, sb.span_start AS ls, sb.span_end AS le
            UNION ALL
            MATCH (:Manifestation {id: $id})<-[:ANNOTATION_OF]-(sg:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'segmentation'})
            MATCH (ss:Segment)-[:SEGMENTATION_OF]->(sg)
            RETURN 2 AS k, null AS ann, ss.id AS x, null AS y, ss.span_start AS xs, ss.span_end AS xe,
                   null AS lid, null AS ls, null AS le
            """;

    private static final long FETCH_SIZE = 20_000;

    private final Neo4jConfig config;
    private final Driver driver;
    private final TransactionConfig txConfig;
    private final AtomicLong roundTrips = new AtomicLong();
    private final boolean ownsDriver;

    private Neo4jSliceSource(Neo4jConfig config, Driver driver, boolean ownsDriver) {
        this.config = config;
        this.driver = driver;
        this.ownsDriver = ownsDriver;
        this.txConfig = TransactionConfig.builder().withTimeout(config.queryTimeout()).build();
    }

    /** Creates the driver (no connection is made until the first load). */
    public static Neo4jSliceSource connect(Neo4jConfig c) {
        requireNonNull(c, "config is null");
        return new Neo4jSliceSource(c, Neo4jAlignmentGraph.newDriver(c), true);
    }

    /**
     * A slice source on the graph's own driver, so a process keeps one driver (one pool). Closing
     * this source leaves the driver open; the graph owns it.
     */
    public static Neo4jSliceSource sharing(Neo4jAlignmentGraph graph) {
        requireNonNull(graph, "graph is null");
        return new Neo4jSliceSource(graph.config(), graph.driver(), false);
    }

    /** How many queries this instance has sent. */
    public long roundTrips() {
        return roundTrips.get();
    }

    @Override
    public ManifestationSlice load(String manifestationId) {
        requireNonNull(manifestationId, "manifestationId is null");
        // one slice is tens of thousands of rows: fetch them in few batches
        try (Session session = driver.session(SessionConfig.builder().withFetchSize(FETCH_SIZE).build())) {
            return session.executeRead(tx -> {
                roundTrips.incrementAndGet();
                ManifestationSlice.Builder b = ManifestationSlice.builder(manifestationId);
                Result result = tx.run(SLICE, Map.of("id", manifestationId));
                while (result.hasNext()) {
                    add(b, result.next());
                }
                return b.build();
            }, txConfig);
        } catch (ServiceUnavailableException | SessionExpiredException | SecurityException | TransientException e) {
            throw unavailable(e);
        } catch (ClientException e) {
            String code = e.code();
            if (code != null && code.contains("Timeout") || code != null && code.contains("TransactionTimedOut")) {
                throw unavailable(e);
            }
            throw e;
        }
    }

    private static void add(ManifestationSlice.Builder b, Record r) {
        switch (Neo4jAlignmentGraph.number(r.get(0))) {
            case 0 -> b.pair(Neo4jAlignmentGraph.text(r.get(1)), Neo4jAlignmentGraph.text(r.get(2)), Neo4jAlignmentGraph.text(r.get(3)));
            case 1 -> {
                Segment s = Segment.of(Neo4jAlignmentGraph.text(r.get(2)), Neo4jAlignmentGraph.number(r.get(4)), Neo4jAlignmentGraph.number(r.get(5)));
                if (r.get(6).isNull()) {
                    b.alignmentSegment(Neo4jAlignmentGraph.text(r.get(1)), s);
                } else {
                    b.link(Neo4jAlignmentGraph.text(r.get(1)), s, Segment.of(Neo4jAlignmentGraph.text(r.get(6)), Neo4jAlignmentGraph.number(r.get(7)), Neo4jAlignmentGraph.number(r.get(8))));
                }
            }
            default -> b.segmentationSegment(Segment.of(Neo4jAlignmentGraph.text(r.get(2)), Neo4jAlignmentGraph.number(r.get(4)), Neo4jAlignmentGraph.number(r.get(5))));
        }
    }

    @Override
    public void close() {
        if (ownsDriver) {
            driver.close();
        }
    }

    @Override
    public String toString() {
        return "Neo4jSliceSource[" + config.redactedUri() + "]";
    }

    private GraphUnavailableException unavailable(RuntimeException e) {
        String reason = Secrets.scrub(String.valueOf(e.getMessage()), config.password());
        return new GraphUnavailableException("Neo4j at " + config.redactedUri() + " is unavailable: " + reason, e);
    }
}
