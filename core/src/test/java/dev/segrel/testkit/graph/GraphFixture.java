package dev.segrel.testkit.graph;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A small graph in the graph model of docs/architecture.md, built in code, that becomes an
 * {@link InMemoryAlignmentGraph}, rows in Neo4j ({@link #writeTo}), or a Cypher script
 * ({@link #toCypherScript()}).
 *
 * <pre>{@code
 * GraphFixture f = new GraphFixture()
 *         .segmentation("A", "A-seg", seg("a1", 0, 10), seg("a2", 10, 20))
 *         .alignment("A", "A-al", seg("A-x1", 0, 20))
 *         .segmentation("B", "B-seg", seg("b1", 0, 5))
 *         .alignment("B", "B-al", seg("B-x1", 0, 5))
 *         .linkAnnotations("A-al", "B-al")
 *         .linkSegments("A-x1", "B-x1");
 * }</pre>
 *
 * Manifestations are created on first mention. Links are stored in the direction given (call
 * twice to store both directions). Not thread-safe.
 */
public final class GraphFixture {

    /** Annotation types of the model. */
    public enum Type {
        SEGMENTATION, PAGINATION, ALIGNMENT;

        public String typeName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One annotation with its segments. */
    public record Annotation(String id, String manifestationId, Type type, List<Segment> segments) {
        public Annotation {
            requireNonNull(id, "id is null");
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(type, "type is null");
            segments = List.copyOf(segments);
        }
    }

    /** A stored {@code ALIGNED_TO} relationship, {@code from -> to}. */
    public record Link(String from, String to) {
        public Link {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
        }
    }

    private final Map<String, String> manifestations = new LinkedHashMap<>(); // id -> expression id or null
    private final Map<String, Annotation> annotations = new LinkedHashMap<>();
    private final List<Link> annotationLinks = new ArrayList<>();
    private final List<Link> segmentLinks = new ArrayList<>();

    /** A segment, for the builder methods. */
    public static Segment seg(String id, int start, int end) {
        return Segment.of(id, start, end);
    }

    /** Adds a manifestation (no expression). */
    public GraphFixture manifestation(String id) {
        manifestations.putIfAbsent(requireNonNull(id, "id is null"), null);
        return this;
    }

    /** Adds a manifestation of an expression. */
    public GraphFixture manifestation(String id, String expressionId) {
        manifestations.put(requireNonNull(id, "id is null"), requireNonNull(expressionId, "expressionId is null"));
        return this;
    }

    public GraphFixture segmentation(String manifestationId, String annotationId, Segment... segments) {
        return annotation(manifestationId, annotationId, Type.SEGMENTATION, List.of(segments));
    }

    public GraphFixture pagination(String manifestationId, String annotationId, Segment... segments) {
        return annotation(manifestationId, annotationId, Type.PAGINATION, List.of(segments));
    }

    public GraphFixture alignment(String manifestationId, String annotationId, Segment... segments) {
        return annotation(manifestationId, annotationId, Type.ALIGNMENT, List.of(segments));
    }

    /** Adds an annotation of a manifestation (created if new) with its segments. */
    public GraphFixture annotation(String manifestationId, String annotationId, Type type, Collection<Segment> segments) {
        manifestation(manifestationId);
        if (annotations.containsKey(annotationId)) {
            throw new IllegalArgumentException("annotation " + annotationId + " is already in the fixture");
        }
        annotations.put(annotationId, new Annotation(annotationId, manifestationId, type, List.copyOf(segments)));
        return this;
    }

    /** Stores {@code (a)-[:ALIGNED_TO]->(b)} between two annotations. */
    public GraphFixture linkAnnotations(String a, String b) {
        annotationLinks.add(new Link(a, b));
        return this;
    }

    /** Stores {@code (x)-[:ALIGNED_TO]->(y)} between two segments. */
    public GraphFixture linkSegments(String x, String y) {
        segmentLinks.add(new Link(x, y));
        return this;
    }

    /** Stores {@code (x)-[:ALIGNED_TO]->(y)} for {@code x} and every one of {@code ys}. */
    public GraphFixture linkSegments(String x, String... ys) {
        for (String y : ys) {
            linkSegments(x, y);
        }
        return this;
    }

    public Map<String, String> manifestations() {
        return java.util.Collections.unmodifiableMap(manifestations);
    }

    public Collection<Annotation> annotations() {
        return List.copyOf(annotations.values());
    }

    public List<Link> annotationLinks() {
        return List.copyOf(annotationLinks);
    }

    public List<Link> segmentLinks() {
        return List.copyOf(segmentLinks);
    }

    /** The trusted in-memory graph of this fixture. */
    public InMemoryAlignmentGraph toInMemoryGraph() {
        return InMemoryAlignmentGraph.of(this);
    }

    /** Segments per statement, so that no statement is slow to plan. */
    static final int CHUNK = 500;

    private static final String MANIFESTATION = "MERGE (:Manifestation {id: $id})";
    private static final String EXPRESSION = """
            MATCH (m:Manifestation {id: $id}) MERGE (e:Expression {id: $expression}) MERGE (m)-[:MANIFESTATION_OF]->(e)""";
    private static final String ANNOTATION = """
            MATCH (m:Manifestation {id: $manifestation}) MERGE (t:AnnotationType {name: $type})
            CREATE (a:Annotation {id: $id})-[:ANNOTATION_OF]->(m) CREATE (a)-[:HAS_TYPE]->(t)""";
    private static final String SEGMENTS = """
            MATCH (a:Annotation {id: $annotation}) UNWIND $segments AS s
            CREATE (:Segment {id: s.id, span_start: s.start, span_end: s.end})-[:SEGMENTATION_OF]->(a)""";
    private static final String ANNOTATION_LINKS = """
            UNWIND $links AS l MATCH (a:Annotation {id: l.from}), (b:Annotation {id: l.to}) CREATE (a)-[:ALIGNED_TO]->(b)""";
    private static final String SEGMENT_LINKS = """
            UNWIND $links AS l MATCH (a:Segment {id: l.from}), (b:Segment {id: l.to}) CREATE (a)-[:ALIGNED_TO]->(b)""";

    /** Every statement (with its parameters) that builds this fixture, in order. */
    public void statements(BiConsumer<String, Map<String, Object>> sink) {
        manifestations.forEach((id, expression) -> {
            sink.accept(MANIFESTATION, Map.of("id", id));
            if (expression != null) {
                sink.accept(EXPRESSION, Map.of("id", id, "expression", expression));
            }
        });
        for (Annotation a : annotations.values()) {
            sink.accept(ANNOTATION, Map.of("manifestation", a.manifestationId(), "type", a.type().typeName(), "id", a.id()));
            for (List<Segment> chunk : chunks(a.segments())) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Segment s : chunk) {
                    rows.add(Map.of("id", s.id(), "start", s.span().start(), "end", s.span().end()));
                }
                sink.accept(SEGMENTS, Map.of("annotation", a.id(), "segments", rows));
            }
        }
        for (List<Link> chunk : chunks(annotationLinks)) {
            sink.accept(ANNOTATION_LINKS, Map.of("links", linkRows(chunk)));
        }
        for (List<Link> chunk : chunks(segmentLinks)) {
            sink.accept(SEGMENT_LINKS, Map.of("links", linkRows(chunk)));
        }
    }

    /**
     * The fixture as a Cypher script: the same statements with their parameters written as
     * literals, separated by {@code ;}, loadable by {@code EmbeddedNeo4j.load} or cypher-shell.
     */
    public String toCypherScript() {
        StringBuilder out = new StringBuilder("// segrel graph fixture\n");
        statements((cypher, params) -> out.append(inline(cypher, params)).append(";\n"));
        return out.toString();
    }

    private static String inline(String cypher, Map<String, Object> params) {
        if (params.isEmpty()) {
            return cypher;
        }
        StringBuilder with = new StringBuilder("WITH ");
        boolean first = true;
        for (Map.Entry<String, Object> e : params.entrySet()) {
            with.append(first ? "" : ", ").append(literal(e.getValue())).append(" AS ").append(e.getKey());
            first = false;
        }
        // $name becomes a variable bound by the leading WITH
        return with + "\n" + cypher.replace("$", "");
    }

    static String literal(Object value) {
        if (value instanceof String s) {
            StringBuilder out = new StringBuilder("'");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\'' -> out.append("\\'");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> out.append(c);
                }
            }
            return out.append('\'').toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(literal(list.get(i)));
            }
            return out.append(']').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ", ").append('`').append(e.getKey().toString().replace("`", "``")).append("`: ")
                        .append(literal(e.getValue()));
                first = false;
            }
            return out.append('}').toString();
        }
        throw new IllegalArgumentException("no Cypher literal for " + value);
    }

    private static List<Map<String, Object>> linkRows(List<Link> links) {
        List<Map<String, Object>> rows = new ArrayList<>(links.size());
        for (Link l : links) {
            rows.add(Map.of("from", l.from(), "to", l.to()));
        }
        return rows;
    }

    private static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += CHUNK) {
            out.add(items.subList(i, Math.min(items.size(), i + CHUNK)));
        }
        return out;
    }
}
