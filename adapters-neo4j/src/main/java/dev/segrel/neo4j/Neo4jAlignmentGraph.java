package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.InvalidSegment;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.InvalidGraphDataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.Value;

/**
 * {@link AlignmentGraph} over the Neo4j Java driver (the graph model of docs/architecture.md). Every call is one read transaction
 * running one parameterised query, whatever the number of probes: {@link #roundTrips()} counts them.
 *
 * <p>One instance owns one {@link Driver} (its connection pool); a process creates one and closes it
 * at shutdown. Thread-safe. The driver logs through {@link System.Logger}, routed to SLF4J
 * through {@code slf4j-jdk-platform-logging} (a runtime dependency of this module; the
 * driver's own {@code Logging} API is deprecated in 6.x).
 */
public final class Neo4jAlignmentGraph implements AlignmentGraph, AutoCloseable {

    // Per probe: alignment annotations a of the manifestation, annotations b linked to a (either
    // direction, deduplicated when both are stored), b's manifestation, and per segment of a that
    // overlaps the probe's span the segments linked to it. Pattern comprehensions rather than
    // CALL subqueries so that the query also runs on Neo4j 4.4 and 5.x servers.
    static final String ALIGNED_SEGMENTS = """
            UNWIND $probes AS p
            MATCH (:Manifestation {id: p.m})<-[:ANNOTATION_OF]-(a:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'alignment'})
            MATCH (a)-[:ALIGNED_TO]-(b:Annotation)-[:ANNOTATION_OF]->(mb:Manifestation)
            WITH DISTINCT p, a, b, mb
            WITH p, a, b, mb,
                 [(sa:Segment)-[:SEGMENTATION_OF]->(a) WHERE (sa.span_start < p.end AND sa.span_end > p.start)
                      OR NOT %1$s | sa] AS overlapping
            RETURN p.i AS i, a.id AS a, b.id AS b, mb.id AS m,
                   [sa IN overlapping | {id: sa.id, start: sa.span_start, end: sa.span_end,
                       linked: [(sa)-[:ALIGNED_TO]-(sb:Segment) | {id: sb.id, start: sb.span_start, end: sb.span_end,
                           m: CASE WHEN %2$s THEN null
                              ELSE head([(sb)-[:SEGMENTATION_OF]->(:Annotation)-[:ANNOTATION_OF]->(x:Manifestation) | x.id]) END}]}]
                   AS segments
            """.formatted(Neo4jSegments.POSITIONED.formatted("sa"), Neo4jSegments.VALID.formatted("sb"));

    static final String SEGMENTATION_SEGMENTS = """
            UNWIND $probes AS p
            MATCH (:Manifestation {id: p.m})<-[:ANNOTATION_OF]-(ann:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'segmentation'})
            MATCH (s:Segment)-[:SEGMENTATION_OF]->(ann)
            WHERE (s.span_start < p.end AND s.span_end > p.start) OR NOT %s
            RETURN DISTINCT p.i AS i, s.id AS id, s.span_start AS start, s.span_end AS end
            """.formatted(Neo4jSegments.POSITIONED.formatted("s"));

    static final String MANIFESTATION_EXISTS = """
            OPTIONAL MATCH (m:Manifestation {id: $id}) RETURN count(m) > 0 AS exists
            """;

    static final String SEGMENTS_OF = """
            MATCH (:Manifestation {id: $id})<-[:ANNOTATION_OF]-(ann:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: $type})
            MATCH (s:Segment)-[:SEGMENTATION_OF]->(ann)
            RETURN DISTINCT s.id AS id, s.span_start AS start, s.span_end AS end
            """;

    private final Neo4jConfig config;
    private final Driver driver;
    private final TransactionConfig txConfig;
    private final AtomicLong roundTrips = new AtomicLong();

    private Neo4jAlignmentGraph(Neo4jConfig config, Driver driver) {
        this.config = config;
        this.driver = driver;
        this.txConfig = TransactionConfig.builder().withTimeout(config.queryTimeout()).build();
    }

    /** Creates the driver (no connection is made until the first call or {@link #verifyConnectivity()}). */
    public static Neo4jAlignmentGraph connect(Neo4jConfig c) {
        requireNonNull(c, "config is null");
        return new Neo4jAlignmentGraph(c, newDriver(c));
    }

    /** The driver segrel's Neo4j readers use: fail-fast timeouts, no telemetry, basic or no auth. */
    static Driver newDriver(Neo4jConfig c) {
        long connectMs = c.connectTimeout().toMillis();
        Config driverConfig = Config.builder()
                .withConnectionTimeout(connectMs, TimeUnit.MILLISECONDS)
                .withConnectionAcquisitionTimeout(connectMs, TimeUnit.MILLISECONDS)
                // segrel retries tasks with its own backoff: the driver only rides out short blips
                .withMaxTransactionRetryTime(connectMs, TimeUnit.MILLISECONDS)
                .withMaxConnectionPoolSize(c.maxConnectionPool())
                .withTelemetryDisabled(true)
                .withUserAgent("segrel")
                .build();
        AuthToken auth = c.hasCredentials() ? AuthTokens.basic(c.user(), c.password()) : AuthTokens.none();
        return GraphDatabase.driver(c.uri(), auth, driverConfig);
    }

    /** Opens a connection and authenticates, or throws {@link GraphUnavailableException}. */
    public void verifyConnectivity() {
        try {
            driver.verifyConnectivity();
        } catch (RuntimeException e) {
            throw Neo4jErrors.unavailable(e, config);
        }
    }

    /** How many queries this instance has sent. */
    public long roundTrips() {
        return roundTrips.get();
    }

    /** The driver, for other readers of this package that share its pool. */
    Driver driver() {
        return driver;
    }

    public Neo4jConfig config() {
        return config;
    }

    @Override
    public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
        requireNonNull(probes, "probes is null");
        if (probes.isEmpty()) {
            return List.of();
        }
        List<List<AlignedPair>> out = emptyLists(probes.size());
        List<InvalidSegment> invalid = new ArrayList<>();
        for (Record r : read(ALIGNED_SEGMENTS, Map.of("probes", probeParams(probes)))) {
            int i = r.get("i").asInt();
            String target = text(r.get("m"));
            // one entry per overlapping segment of a; the same segment may be linked to several
            Map<String, Segment> linked = new LinkedHashMap<>();
            for (Value sa : r.get("segments").values()) {
                if (Neo4jSegments.read(probes.get(i).manifestationId(), sa.get("id"), sa.get("start"), sa.get("end"))
                        instanceof Neo4jSegments.Invalid bad) {
                    invalid.add(bad.segment());
                    continue;
                }
                for (Value sb : sa.get("linked").values()) {
                    String owner = sb.get("m").isNull() ? target : text(sb.get("m"));
                    switch (Neo4jSegments.read(owner, sb.get("id"), sb.get("start"), sb.get("end"))) {
                        case Neo4jSegments.Valid v -> linked.putIfAbsent(v.segment().id(), v.segment());
                        case Neo4jSegments.Invalid bad -> invalid.add(bad.segment());
                    }
                }
            }
            out.get(i).add(new AlignedPair(text(r.get("a")), text(r.get("b")), target, List.copyOf(linked.values())));
        }
        rejectAny(invalid);
        return out;
    }

    @Override
    public List<List<Segment>> segmentationSegments(List<Probe> probes) {
        requireNonNull(probes, "probes is null");
        if (probes.isEmpty()) {
            return List.of();
        }
        List<List<Segment>> out = emptyLists(probes.size());
        List<InvalidSegment> invalid = new ArrayList<>();
        for (Record r : read(SEGMENTATION_SEGMENTS, Map.of("probes", probeParams(probes)))) {
            int i = r.get("i").asInt();
            switch (Neo4jSegments.read(probes.get(i).manifestationId(), r.get("id"), r.get("start"), r.get("end"))) {
                case Neo4jSegments.Valid v -> out.get(i).add(v.segment());
                case Neo4jSegments.Invalid bad -> invalid.add(bad.segment());
            }
        }
        rejectAny(invalid);
        return out;
    }

    @Override
    public boolean manifestationExists(String manifestationId) {
        requireNonNull(manifestationId, "manifestationId is null");
        List<Record> rows = read(MANIFESTATION_EXISTS, Map.of("id", manifestationId));
        return rows.get(0).get("exists").asBoolean();
    }

    @Override
    public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
        requireNonNull(manifestationId, "manifestationId is null");
        requireNonNull(source, "source is null");
        List<Segment> out = new ArrayList<>();
        for (Record r : read(SEGMENTS_OF, Map.of("id", manifestationId, "type", source.typeName()))) {
            out.add(Neo4jSegments.valid(manifestationId, r.get("id"), r.get("start"), r.get("end")));
        }
        // sorted here, not by Cypher, so that ids order exactly as String.compareTo does
        out.sort(Segment.BY_START_THEN_ID);
        return List.copyOf(out);
    }

    @Override
    public void close() {
        driver.close();
    }

    @Override
    public String toString() {
        return "Neo4jAlignmentGraph[" + config.redactedUri() + "]";
    }

    private List<Record> read(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> {
                roundTrips.incrementAndGet();
                return tx.run(cypher, params).list();
            }, txConfig);
        } catch (RuntimeException e) {
            throw Neo4jErrors.classify(e, config);
        }
    }

    /** Of the invalid segments an answer would include, the first fails the call (permanent). */
    private static void rejectAny(List<InvalidSegment> invalid) {
        if (!invalid.isEmpty()) {
            throw new InvalidGraphDataException(invalid.stream().min(InvalidSegment.FIRST).orElseThrow());
        }
    }

    private static List<Map<String, Object>> probeParams(List<Probe> probes) {
        List<Map<String, Object>> params = new ArrayList<>(probes.size());
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("i", i);
            m.put("m", p.manifestationId());
            m.put("start", p.span().start());
            m.put("end", p.span().end());
            params.add(m);
        }
        return params;
    }

    private static <T> List<List<T>> emptyLists(int n) {
        List<List<T>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        return out;
    }

    /** Ids as the graph has them: strings, or (written by other tools) numbers, read as their text. */
    static String text(Value value) {
        Object raw = value.asObject();
        return raw instanceof String s ? s : String.valueOf(raw);
    }

    /** Numbers this adapter's queries return (indexes, row kinds), as integers or whole floats. */
    static int number(Value value) {
        return Math.toIntExact(Math.round(value.asNumber().doubleValue()));
    }
}
