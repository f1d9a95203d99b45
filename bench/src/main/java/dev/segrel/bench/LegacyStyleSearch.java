package dev.segrel.bench;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.dragonfly.RedisCache;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/**
 * For measurement only: the related-segments search the way the existing Python service runs it,
 * item by item with one small Cypher query per question (the alignment pairs of a manifestation,
 * the segments linked to the overlapping part of each pair's annotation, the manifestation of the
 * other annotation, the segmentation of each manifestation reached). With a {@link RedisCache} it
 * caches what the existing service caches: the pairs per manifestation and the manifestation of an
 * annotation. Same answers as segrel's search (pairs taken in {@code (a, b)} order).
 */
public final class LegacyStyleSearch {

    static final String PAIRS = """
            MATCH (:Manifestation {id: $m})<-[:ANNOTATION_OF]-(a:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'alignment'})
            MATCH (a)-[:ALIGNED_TO]-(b:Annotation)
            RETURN DISTINCT a.id AS a, b.id AS b
            """;
    static final String ALIGNED = """
            MATCH (sa:Segment)-[:SEGMENTATION_OF]->(:Annotation {id: $a})
            WHERE sa.span_start < $end AND sa.span_end > $start
            MATCH (sa)-[:ALIGNED_TO]-(sb:Segment)
            RETURN DISTINCT sb.id AS id, sb.span_start AS start, sb.span_end AS end
            """;
    static final String MANIFESTATION_OF = """
            MATCH (:Annotation {id: $b})-[:ANNOTATION_OF]->(m:Manifestation) RETURN m.id AS m
            """;
    static final String SEGMENTATION = """
            MATCH (:Manifestation {id: $m})<-[:ANNOTATION_OF]-(ann:Annotation)-[:HAS_TYPE]->(:AnnotationType {name: 'segmentation'})
            MATCH (s:Segment)-[:SEGMENTATION_OF]->(ann)
            WHERE s.span_start < $end AND s.span_end > $start
            RETURN DISTINCT s.id AS id, s.span_start AS start, s.span_end AS end
            """;

    private final Driver driver;
    private final Optional<RedisCache> cache;
    private final AtomicLong roundTrips = new AtomicLong();

    public LegacyStyleSearch(Driver driver, Optional<RedisCache> cache) {
        this.driver = requireNonNull(driver, "driver is null");
        this.cache = requireNonNull(cache, "cache is null");
    }

    public long roundTrips() {
        return roundTrips.get();
    }

    public List<Mapping> search(String manifestationId, Span span) {
        ArrayDeque<Object[]> queue = new ArrayDeque<>();
        queue.add(new Object[] {manifestationId, span});
        Set<String> visited = new HashSet<>(Set.of(manifestationId));
        Set<String> usedPairs = new HashSet<>();
        Map<String, List<Segment>> reached = new LinkedHashMap<>();
        while (!queue.isEmpty()) {
            Object[] item = queue.poll();
            String m = (String) item[0];
            Span s = (Span) item[1];
            for (String[] pair : pairs(m)) {
                if (usedPairs.contains(pair[0] + "\u0000" + pair[1])) {
                    continue;
                }
                List<Segment> linked = aligned(pair[0], s);
                if (linked.isEmpty()) {
                    continue;
                }
                Optional<String> target = manifestationOf(pair[1]);
                if (target.isEmpty() || !visited.add(target.get())) {
                    continue;
                }
                usedPairs.add(pair[0] + "\u0000" + pair[1]);
                usedPairs.add(pair[1] + "\u0000" + pair[0]);
                Span envelope = envelope(linked);
                reached.put(target.get(), segmentation(target.get(), envelope));
                queue.add(new Object[] {target.get(), envelope});
            }
        }
        List<Mapping> out = new ArrayList<>();
        reached.forEach((id, segs) -> out.add(new Mapping(id, segs)));
        return out;
    }

    private List<String[]> pairs(String m) {
        String key = "segrel:bench:v1:pairs:" + m;
        Optional<byte[]> hit = cache.flatMap(c -> c.get(key));
        if (hit.isPresent()) {
            return decodePairs(hit.get());
        }
        List<String[]> pairs = new ArrayList<>();
        for (Record r : run(PAIRS, Map.of("m", m))) {
            pairs.add(new String[] {r.get("a").asString(), r.get("b").asString()});
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        cache.ifPresent(c -> c.put(key, encodePairs(pairs)));
        return pairs;
    }

    private List<Segment> aligned(String a, Span s) {
        List<Segment> out = new ArrayList<>();
        for (Record r : run(ALIGNED, Map.of("a", a, "start", s.start(), "end", s.end()))) {
            out.add(Segment.of(r.get("id").asString(), r.get("start").asInt(), r.get("end").asInt()));
        }
        return out;
    }

    private Optional<String> manifestationOf(String b) {
        String key = "segrel:bench:v1:manifestation-of:" + b;
        Optional<byte[]> hit = cache.flatMap(c -> c.get(key));
        if (hit.isPresent()) {
            return Optional.of(new String(hit.get(), StandardCharsets.UTF_8));
        }
        List<Record> rows = run(MANIFESTATION_OF, Map.of("b", b));
        Optional<String> m = rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).get("m").asString());
        m.ifPresent(id -> cache.ifPresent(c -> c.put(key, id.getBytes(StandardCharsets.UTF_8))));
        return m;
    }

    private List<Segment> segmentation(String m, Span e) {
        Map<String, Segment> out = new LinkedHashMap<>();
        for (Record r : run(SEGMENTATION, Map.of("m", m, "start", e.start(), "end", e.end()))) {
            out.putIfAbsent(r.get("id").asString(),
                    Segment.of(r.get("id").asString(), r.get("start").asInt(), r.get("end").asInt()));
        }
        List<Segment> sorted = new ArrayList<>(out.values());
        sorted.sort(Segment.BY_START_THEN_ID);
        return sorted;
    }

    private List<Record> run(String cypher, Map<String, Object> params) {
        roundTrips.incrementAndGet();
        try (Session session = driver.session()) {
            return session.run(cypher, params).list();
        }
    }

    private static Span envelope(List<Segment> segments) {
        return Span.covering(segments);
    }

    private static byte[] encodePairs(List<String[]> pairs) {
        StringBuilder b = new StringBuilder();
        for (String[] p : pairs) {
            b.append(p[0]).append('\u0000').append(p[1]).append('\u0001');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String[]> decodePairs(byte[] bytes) {
        List<String[]> out = new ArrayList<>();
        for (String p : new String(bytes, StandardCharsets.UTF_8).split("\u0001")) {
            if (!p.isEmpty()) {
                out.add(p.split("\u0000", 2));
            }
        }
        return out;
    }
}
