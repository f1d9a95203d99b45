package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

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

/**
 * {@link SliceSource} over the Neo4j driver: one read transaction running one query per
 * manifestation, streamed into a {@link ManifestationSlice} ({@link #roundTrips()} counts them).
 * Owns its driver; thread-safe.
 */
public final class Neo4jSliceSource implements SliceSource, AutoCloseable {

    // Three row kinds in one result: 0 = alignment pair (a, b, manifestation of b), 1 = segment of
    // an alignment annotation with one linked segment (or none) and, when that one's span is invalid,
    // its manifestation, 2 = segmentation segment.
    // Pattern matches mirror Neo4jAlignmentGraph's queries so both adapters read the same graph.
    static final String SLICE = """
            MATCH (:Manifestation {id: $id})<-[:ANNOTATION_OF]-(a:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'alignment'})
            MATCH (a)-[:ALIGNED_TO]-(b:Annotation)-[:ANNOTATION_OF]->(mb:Manifestation)
            RETURN DISTINCT 0 AS k, a.id AS ann, b.id AS x, mb.id AS y, null AS xs, null AS xe, null AS lid, null AS ls,
                   null AS le, null AS lm
            UNION ALL
            MATCH (:Manifestation {id: $id})<-[:ANNOTATION_OF]-(a:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'alignment'})
            MATCH (sa:Segment)-[:SEGMENTATION_OF]->(a)
            OPTIONAL MATCH (sa)-[:ALIGNED_TO]-(sb:Segment)
            RETURN 1 AS k, a.id AS ann, sa.id AS x, null AS y, sa.span_start AS xs, sa.span_end AS xe,
                   sb.id AS lid, sb.span_start AS ls, sb.span_end AS le,
                   CASE WHEN sb IS NULL OR %s THEN null
                        ELSE head([(sb)-[:SEGMENTATION_OF]->(:Annotation)-[:ANNOTATION_OF]->(x:Manifestation) | x.id]) END AS lm
            UNION ALL
            MATCH (:Manifestation {id: $id})<-[:ANNOTATION_OF]-(sg:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'segmentation'})
            MATCH (ss:Segment)-[:SEGMENTATION_OF]->(sg)
            RETURN 2 AS k, null AS ann, ss.id AS x, null AS y, ss.span_start AS xs, ss.span_end AS xe,
                   null AS lid, null AS ls, null AS le, null AS lm
            """.formatted(Neo4jSegments.VALID.formatted("sb"));

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
                    add(b, manifestationId, result.next());
                }
                return b.build();
            }, txConfig);
        } catch (RuntimeException e) {
            throw Neo4jErrors.classify(e, config);
        }
    }

    /** One row into the slice; invalid segments go to its defects, so the load itself never fails on them. */
    private static void add(ManifestationSlice.Builder b, String id, Record r) {
        switch (Neo4jAlignmentGraph.number(r.get(0))) {
            case 0 -> b.pair(Neo4jAlignmentGraph.text(r.get(1)), Neo4jAlignmentGraph.text(r.get(2)), Neo4jAlignmentGraph.text(r.get(3)));
            case 1 -> {
                String annotation = Neo4jAlignmentGraph.text(r.get(1));
                switch (Neo4jSegments.read(id, r.get(2), r.get(4), r.get(5))) {
                    case Neo4jSegments.Invalid bad -> b.invalidAlignmentSegment(annotation, bad.segment());
                    case Neo4jSegments.Valid own when r.get(6).isNull() -> b.alignmentSegment(annotation, own.segment());
                    case Neo4jSegments.Valid own -> {
                        String owner = r.get(9).isNull() ? null : Neo4jAlignmentGraph.text(r.get(9));
                        switch (Neo4jSegments.read(owner, r.get(6), r.get(7), r.get(8))) {
                            case Neo4jSegments.Valid linked -> b.link(annotation, own.segment(), linked.segment());
                            case Neo4jSegments.Invalid bad -> b.invalidLink(annotation, own.segment(), bad.segment());
                        }
                    }
                }
            }
            default -> {
                switch (Neo4jSegments.read(id, r.get(2), r.get(4), r.get(5))) {
                    case Neo4jSegments.Valid v -> b.segmentationSegment(v.segment());
                    case Neo4jSegments.Invalid bad -> b.invalidSegmentationSegment(bad.segment());
                }
            }
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
}
