package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
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
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.SecurityException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;

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
                 [(sa:Segment)-[:SEGMENTATION_OF]->(a) WHERE sa.span_start < p.end AND sa.span_end > p.start | sa] AS overlapping
            RETURN p.i AS i, a.id AS a, b.id AS b, mb.id AS m,
                   [sa IN overlapping | [(sa)-[:ALIGNED_TO]-(sb:Segment) | {id: sb.id, start: sb.span_start, end: sb.span_end}]] AS segments
            """;

    static final String SEGMENTATION_SEGMENTS = """
            UNWIND $probes AS p
            MATCH (:Manifestation {id: p.m})<-[:ANNOTATION_OF]-(ann:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'segmentation'})
            MATCH (s:Segment)-[:SEGMENTATION_OF]->(ann)
            WHERE s.span_start < p.end AND s.span_end > p.start
            RETURN DISTINCT p.i AS i, s.id AS id, s.span_start AS start, s.span_end AS end
            """;

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
            throw unavailable(e);
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
        for (Record r : read(ALIGNED_SEGMENTS, Map.of("probes", probeParams(probes)))) {
            // one list per overlapping segment of a; the same segment may be linked to several
            Map<String, Segment> linked = new LinkedHashMap<>();
            for (Value perSegment : r.get("segments").values()) {
                for (Value s : perSegment.values()) {
                    Segment segment = segment(s.get("id"), s.get("start"), s.get("end"));
                    linked.putIfAbsent(segment.id(), segment);
                }
            }
            out.get(r.get("i").asInt()).add(new AlignedPair(
                    text(r.get("a")), text(r.get("b")), text(r.get("m")), List.copyOf(linked.values())));
        }
        return out;
    }

    @Override
    public List<List<Segment>> segmentationSegments(List<Probe> probes) {
        requireNonNull(probes, "probes is null");
        if (probes.isEmpty()) {
            return List.of();
        }
        List<List<Segment>> out = emptyLists(probes.size());
        for (Record r : read(SEGMENTATION_SEGMENTS, Map.of("probes", probeParams(probes)))) {
            out.get(r.get("i").asInt()).add(segment(r.get("id"), r.get("start"), r.get("end")));
        }
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
            out.add(segment(r.get("id"), r.get("start"), r.get("end")));
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
        } catch (ServiceUnavailableException | SessionExpiredException | SecurityException | TransientException e) {
            throw unavailable(e);
        } catch (ClientException e) {
            if (isTimeout(e) || isPoolExhausted(e)) {
                throw unavailable(e);
            }
            throw e;
        }
    }

    private static boolean isTimeout(Neo4jException e) {
        String code = e.code();
        return code != null && (code.contains("TransactionTimedOut") || code.contains("Timeout"));
    }

    /**
     * No connection free within the acquisition timeout (a busy or slow server): transient, like an
     * unreachable one. The driver says so only in the message (a ClientException without a code).
     */
    private static boolean isPoolExhausted(ClientException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("Unable to acquire connection from the pool");
    }

    private GraphUnavailableException unavailable(RuntimeException e) {
        String reason = Secrets.scrub(String.valueOf(e.getMessage()), config.password());
        String what = e instanceof SecurityException ? "refused the credentials of user '" + config.user() + "'"
                : "is unavailable";
        return new GraphUnavailableException(
                "Neo4j at " + config.redactedUri() + " " + what + ": " + reason, e);
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

    private static Segment segment(Value id, Value start, Value end) {
        return Segment.of(text(id), number(start), number(end));
    }

    /** Ids as the graph has them: strings, or (written by other tools) numbers, read as their text. */
    static String text(Value value) {
        Object raw = value.asObject();
        return raw instanceof String s ? s : String.valueOf(raw);
    }

    /** Offsets stored as integers or as whole floats (some loaders write 10.0). */
    static int number(Value value) {
        return Math.toIntExact(Math.round(value.asNumber().doubleValue()));
    }
}
