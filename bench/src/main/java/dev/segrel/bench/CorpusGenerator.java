package dev.segrel.bench;

import dev.segrel.core.domain.Segment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * A deterministic synthetic canon (same seed and sizes, same corpus): manifestations arranged as
 * a real one is, with roots, translations of roots, commentaries, translations of commentaries and
 * a few cycles (two translations of one root aligned to each other as well as to the root). Each
 * manifestation has {@code n} segmentation segments of 5 to 15 characters. Each alignment is a pair
 * of alignment annotations, one per side, over the sides' units, linked 1:1, 1:2 (the other side
 * splits each unit in two) or 2:1 (the other side merges two units), by turns.
 */
public final class CorpusGenerator {

    private final long seed;
    private final int manifestations;
    private final int segments;

    public CorpusGenerator(long seed, int manifestations, int segments) {
        if (manifestations < 2) {
            throw new IllegalArgumentException("manifestations must be >= 2, was " + manifestations);
        }
        if (segments < 2) {
            throw new IllegalArgumentException("segments must be >= 2, was " + segments);
        }
        this.seed = seed;
        this.manifestations = manifestations;
        this.segments = segments;
    }

    public Corpus generate() {
        SplittableRandom random = new SplittableRandom(seed);
        List<Corpus.Manifestation> ms = new ArrayList<>();
        Map<String, int[]> bounds = new LinkedHashMap<>();
        List<Corpus.Annotation> annotations = new ArrayList<>();
        List<Corpus.Link> annotationLinks = new ArrayList<>();
        List<Corpus.Link> segmentLinks = new ArrayList<>();
        List<String> roots = new ArrayList<>();
        List<String> commentaries = new ArrayList<>();
        Map<String, List<String>> translationsOf = new LinkedHashMap<>();
        int edge = 0;
        for (int i = 0; i < manifestations; i++) {
            String kind;
            String parent;
            if (i == 0 || i % 6 == 5) {
                kind = "root";
                parent = roots.isEmpty() ? null : roots.get(roots.size() - 1); // parallel editions
            } else if (i % 3 == 2) {
                kind = "commentary";
                parent = roots.get(random.nextInt(roots.size()));
            } else if (i % 3 == 0 && !commentaries.isEmpty()) {
                kind = "commentary-translation";
                parent = commentaries.get(random.nextInt(commentaries.size()));
            } else {
                kind = "translation";
                parent = roots.get(random.nextInt(roots.size()));
            }
            String id = String.format("M%03d-%s", i, kind);
            ms.add(new Corpus.Manifestation(id, kind, parent));
            bounds.put(id, unitBounds(random));
            annotations.add(new Corpus.Annotation(id + "/seg", id, "segmentation", unitSegments(id + "/s", bounds.get(id))));
            if (kind.equals("root")) {
                roots.add(id);
            } else if (kind.equals("commentary")) {
                commentaries.add(id);
            }
            if (parent != null) {
                align(parent, id, bounds, edge++, annotations, annotationLinks, segmentLinks);
                if (kind.endsWith("translation")) {
                    List<String> siblings = translationsOf.computeIfAbsent(parent, k -> new ArrayList<>());
                    // every second sibling translation is aligned to an earlier one too: a cycle
                    if (!siblings.isEmpty() && siblings.size() % 2 == 1) {
                        align(siblings.get(siblings.size() - 1), id, bounds, edge++, annotations, annotationLinks,
                                segmentLinks);
                    }
                    siblings.add(id);
                }
            }
        }
        return new Corpus(ms, annotations, annotationLinks, segmentLinks);
    }

    /** Unit boundaries b[0] = 0 < b[1] < ... < b[n]. */
    private int[] unitBounds(SplittableRandom random) {
        int[] b = new int[segments + 1];
        for (int i = 1; i <= segments; i++) {
            b[i] = b[i - 1] + 5 + random.nextInt(11);
        }
        return b;
    }

    private static List<Segment> unitSegments(String prefix, int[] b) {
        List<Segment> out = new ArrayList<>(b.length - 1);
        for (int i = 0; i + 1 < b.length; i++) {
            out.add(Segment.of(prefix + i, b[i], b[i + 1]));
        }
        return out;
    }

    private void align(String x, String y, Map<String, int[]> bounds, int edge, List<Corpus.Annotation> annotations,
            List<Corpus.Link> annotationLinks, List<Corpus.Link> segmentLinks) {
        int[] bx = bounds.get(x);
        int[] by = bounds.get(y);
        String ax = x + "/al" + edge;
        String ay = y + "/al" + edge;
        List<Segment> xs = unitSegments(ax + "/", bx);
        List<Segment> ys = new ArrayList<>();
        int mode = edge % 3; // 0: 1:1, 1: 1:2, 2: 2:1
        for (int i = 0; i < segments; i++) {
            String xi = xs.get(i).id();
            switch (mode) {
                case 0 -> {
                    ys.add(Segment.of(ay + "/" + i, by[i], by[i + 1]));
                    segmentLinks.add(new Corpus.Link(xi, ay + "/" + i));
                }
                case 1 -> {
                    int mid = by[i] + (by[i + 1] - by[i]) / 2;
                    ys.add(Segment.of(ay + "/" + i + "a", by[i], mid));
                    ys.add(Segment.of(ay + "/" + i + "b", mid, by[i + 1]));
                    segmentLinks.add(new Corpus.Link(xi, ay + "/" + i + "a"));
                    segmentLinks.add(new Corpus.Link(xi, ay + "/" + i + "b"));
                }
                default -> {
                    int j = i / 2;
                    if (i % 2 == 0) {
                        ys.add(Segment.of(ay + "/" + j, by[i], by[Math.min(i + 2, segments)]));
                    }
                    // stored from y to x: direction carries no meaning
                    segmentLinks.add(new Corpus.Link(ay + "/" + j, xi));
                }
            }
        }
        annotations.add(new Corpus.Annotation(ax, x, "alignment", xs));
        annotations.add(new Corpus.Annotation(ay, y, "alignment", ys));
        annotationLinks.add(new Corpus.Link(ax, ay));
    }

    /**
     * Writes a corpus into an empty graph that has the schema, in UNWIND batches of {@code batch}
     * rows, through {@code sink} (cypher, parameters).
     */
    public static void write(Corpus corpus, BiConsumer<String, Map<String, Object>> sink, int batch) {
        sink.accept("UNWIND ['segmentation', 'pagination', 'alignment'] AS name MERGE (:AnnotationType {name: name})",
                Map.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Corpus.Manifestation m : corpus.manifestations()) {
            rows.add(Map.of("id", m.id()));
        }
        sink.accept("UNWIND $rows AS r CREATE (:Manifestation {id: r.id})", Map.of("rows", rows));
        rows = new ArrayList<>();
        for (Corpus.Annotation a : corpus.annotations()) {
            rows.add(Map.of("id", a.id(), "m", a.manifestationId(), "type", a.type()));
        }
        sink.accept("""
                UNWIND $rows AS r
                MATCH (m:Manifestation {id: r.m}) MATCH (t:AnnotationType {name: r.type})
                CREATE (a:Annotation {id: r.id})-[:ANNOTATION_OF]->(m), (a)-[:HAS_TYPE]->(t)
                """, Map.of("rows", rows));
        for (Corpus.Annotation a : corpus.annotations()) {
            List<Map<String, Object>> segs = new ArrayList<>();
            for (Segment s : a.segments()) {
                segs.add(Map.of("id", s.id(), "s", s.span().start(), "e", s.span().end()));
                if (segs.size() == batch) {
                    writeSegments(sink, a.id(), segs);
                    segs = new ArrayList<>();
                }
            }
            writeSegments(sink, a.id(), segs);
        }
        rows = new ArrayList<>();
        for (Corpus.Link l : corpus.annotationLinks()) {
            rows.add(Map.of("a", l.from(), "b", l.to()));
        }
        sink.accept("UNWIND $rows AS r MATCH (a:Annotation {id: r.a}) MATCH (b:Annotation {id: r.b}) CREATE (a)-[:ALIGNED_TO]->(b)",
                Map.of("rows", rows));
        rows = new ArrayList<>();
        for (Corpus.Link l : corpus.segmentLinks()) {
            rows.add(Map.of("x", l.from(), "y", l.to()));
            if (rows.size() == batch) {
                writeLinks(sink, rows);
                rows = new ArrayList<>();
            }
        }
        writeLinks(sink, rows);
    }

    private static void writeSegments(BiConsumer<String, Map<String, Object>> sink, String annotation,
            List<Map<String, Object>> segs) {
        if (!segs.isEmpty()) {
            sink.accept("""
                    MATCH (a:Annotation {id: $a})
                    UNWIND $rows AS r
                    CREATE (:Segment {id: r.id, span_start: r.s, span_end: r.e})-[:SEGMENTATION_OF]->(a)
                    """, Map.of("a", annotation, "rows", segs));
        }
    }

    private static void writeLinks(BiConsumer<String, Map<String, Object>> sink, List<Map<String, Object>> rows) {
        if (!rows.isEmpty()) {
            sink.accept("UNWIND $rows AS r MATCH (x:Segment {id: r.x}) MATCH (y:Segment {id: r.y}) CREATE (x)-[:ALIGNED_TO]->(y)",
                    Map.of("rows", rows));
        }
    }
}
