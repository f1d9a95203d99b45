package dev.segrel.devtools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The demo's sample corpus: four aligned manifestations of one text. {@code demo-bo} (the root) is
 * aligned to {@code demo-en} and {@code demo-zh}, and {@code demo-en} to {@code demo-de}, so a
 * segment of the root reaches three manifestations, one of them through a second hop. The root has
 * {@code segments} segments, the others half as many, longer ones; each alignment pairs units of
 * four root segments (two of the others') with units of two segments, and every seventh unit is
 * linked to two units on the other side (1:n). Few, long segments outside the root keep each task's
 * graph reads small, so the demo's job runs fast on a small machine.
 *
 * <p>Written with parameterised {@code UNWIND} statements of {@value #CHUNK} rows: a few seconds
 * for thousands of segments.
 */
final class DemoCorpus {

    static final String ROOT = "demo-bo";
    static final List<String> MANIFESTATIONS = List.of("demo-bo", "demo-en", "demo-zh", "demo-de");
    private static final Map<String, Integer> WIDTH = Map.of("demo-bo", 40, "demo-en", 110, "demo-zh", 50, "demo-de", 120);
    private static final List<String[]> PAIRS = List.of(
            new String[] {"demo-bo", "demo-en"}, new String[] {"demo-bo", "demo-zh"}, new String[] {"demo-en", "demo-de"});
    private static final int CHUNK = 1000;

    private static final String TYPES = """
            MERGE (:AnnotationType {name: 'segmentation'}) MERGE (:AnnotationType {name: 'alignment'})""";
    private static final String MANIFESTATION = """
            MERGE (m:Manifestation {id: $id}) MERGE (e:Expression {id: 'demo-expression'}) MERGE (m)-[:MANIFESTATION_OF]->(e)""";
    private static final String ANNOTATION = """
            MATCH (m:Manifestation {id: $manifestation}), (t:AnnotationType {name: $type})
            CREATE (a:Annotation {id: $id})-[:ANNOTATION_OF]->(m) CREATE (a)-[:HAS_TYPE]->(t)""";
    private static final String SEGMENTS = """
            MATCH (a:Annotation {id: $annotation}) UNWIND $segments AS s
            CREATE (:Segment {id: s.id, span_start: s.start, span_end: s.end})-[:SEGMENTATION_OF]->(a)""";
    private static final String ANNOTATION_LINK = """
            MATCH (a:Annotation {id: $from}), (b:Annotation {id: $to}) CREATE (a)-[:ALIGNED_TO]->(b)""";
    private static final String SEGMENT_LINKS = """
            UNWIND $links AS l MATCH (a:Segment {id: l.from}), (b:Segment {id: l.to}) CREATE (a)-[:ALIGNED_TO]->(b)""";

    private DemoCorpus() {}

    static String segmentId(String manifestation, int k) {
        return "%s-s%05d".formatted(manifestation, k);
    }

    /** Every statement that builds the corpus, in order; returns the number of nodes written. */
    static long write(int segments, BiConsumer<String, Map<String, Object>> sink) {
        if (segments < 4) {
            throw new IllegalArgumentException("segments must be >= 4, was " + segments);
        }
        long nodes = 0;
        sink.accept(TYPES, Map.of());
        for (String m : MANIFESTATIONS) {
            sink.accept(MANIFESTATION, Map.of("id", m));
            String annotation = m + "-segmentation";
            sink.accept(ANNOTATION, Map.of("manifestation", m, "type", "segmentation", "id", annotation));
            int w = WIDTH.get(m);
            int count = m.equals(ROOT) ? segments : segments / 2;
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                rows.add(Map.of("id", segmentId(m, k), "start", k * w, "end", (k + 1) * w));
            }
            nodes += segments(annotation, rows, sink);
        }
        int units = segments / 4;
        for (String[] pair : PAIRS) {
            String a = pair[0] + "-alignment-" + pair[1];
            String b = pair[1] + "-alignment-" + pair[0];
            sink.accept(ANNOTATION, Map.of("manifestation", pair[0], "type", "alignment", "id", a));
            sink.accept(ANNOTATION, Map.of("manifestation", pair[1], "type", "alignment", "id", b));
            sink.accept(ANNOTATION_LINK, Map.of("from", a, "to", b));
            nodes += segments(a, units(a, WIDTH.get(pair[0]), pair[0].equals(ROOT) ? 4 : 2, units), sink);
            nodes += segments(b, units(b, WIDTH.get(pair[1]), 2, units), sink);
            List<Map<String, Object>> links = new ArrayList<>();
            for (int j = 0; j < units; j++) {
                links.add(Map.of("from", unitId(a, j), "to", unitId(b, j)));
                if (j % 7 == 0 && j + 1 < units) {
                    links.add(Map.of("from", unitId(a, j), "to", unitId(b, j + 1)));
                }
            }
            for (int from = 0; from < links.size(); from += CHUNK) {
                sink.accept(SEGMENT_LINKS, Map.of("links", links.subList(from, Math.min(links.size(), from + CHUNK))));
            }
        }
        return nodes;
    }

    private static String unitId(String annotation, int j) {
        return "%s-u%05d".formatted(annotation, j);
    }

    /** Alignment units of {@code per} segments of {@code width} each. */
    private static List<Map<String, Object>> units(String annotation, int width, int per, int units) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int j = 0; j < units; j++) {
            rows.add(Map.of("id", unitId(annotation, j), "start", per * j * width, "end", (per * j + per) * width));
        }
        return rows;
    }

    private static long segments(String annotation, List<Map<String, Object>> rows, BiConsumer<String, Map<String, Object>> sink) {
        for (int from = 0; from < rows.size(); from += CHUNK) {
            sink.accept(SEGMENTS, Map.of("annotation", annotation, "segments", rows.subList(from, Math.min(rows.size(), from + CHUNK))));
        }
        return rows.size();
    }
}
