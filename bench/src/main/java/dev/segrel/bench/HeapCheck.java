package dev.segrel.bench;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.index.SliceCodec;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The heap a worker needs for one job over the index, in two steps so that generating the corpus
 * does not count: {@code write DIR K N} generates a canon and writes every manifestation's slice
 * ({@link SliceCodec}, as Dragonfly stores it) and the job's segments to {@code DIR}; {@code run DIR W}
 * (under the heap limit to prove, e.g. {@code -Xmx512m}) loads the slices one by one as a worker
 * does, then computes every segment of the job with {@code W} threads and prints the live heap with
 * the index. It completing under the limit is the proof.
 */
public final class HeapCheck {

    private HeapCheck() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("write")) {
            write(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            run(dir, args.length > 2 ? Integer.parseInt(args[2]) : 2);
        }
    }

    private static void write(Path dir, int k, int n) throws IOException {
        Corpus corpus = new CorpusGenerator(42, k, n).generate();
        CorpusSlices slices = new CorpusSlices(corpus);
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        for (Corpus.Manifestation m : corpus.manifestations()) {
            Files.write(dir.resolve(m.id() + ".slice"), SliceCodec.encode(slices.load(m.id())));
            lines.add(m.id());
        }
        Files.write(dir.resolve("manifestations.txt"), lines);
        List<String> job = new ArrayList<>();
        for (Segment s : corpus.segmentation(corpus.jobManifestation())) {
            job.add(s.id() + "\t" + s.span().start() + "\t" + s.span().end());
        }
        Files.write(dir.resolve("job.tsv"), job);
    }

    private static void run(Path dir, int workers) throws Exception {
        List<String> ids = Files.readAllLines(dir.resolve("manifestations.txt"));
        List<Segment> job = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("job.tsv"))) {
            String[] f = line.split("\t");
            job.add(Segment.of(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
        String m0 = ids.get(0);
        IndexedAlignmentGraph graph = IndexedAlignmentGraph.over(new dev.segrel.bench.jmh.IndexSearchBenchmark.NoGraph(),
                id -> read(dir, id));
        long t0 = System.nanoTime();
        graph.preload(ids);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        System.gc();
        Runtime r = Runtime.getRuntime();
        long live = r.totalMemory() - r.freeMemory();
        FindRelatedSegments relations = SegmentRelations.over(graph);
        Measurement m = Measurement.of("job over the index", job, workers,
                s -> relations.mappings(new Query(m0, s.span(), RelationMode.SEGMENTATION)));
        System.out.printf(Locale.ROOT, "%d manifestations, job of %d segments: slices loaded in %.1f s, job computed in"
                + " %.2f s (%.0f segments/s, %d thread(s)); index weight %,d, %d slice loads; live heap with the index"
                + " %d MB; max heap %d MB%n", ids.size(), job.size(), loadSeconds, m.seconds(),
                m.perSecond(), workers, graph.slices().weight(), graph.slices().loads(), live >> 20,
                r.maxMemory() >> 20);
    }

    private static ManifestationSlice read(Path dir, String id) {
        try {
            return SliceCodec.decode(Files.readAllBytes(dir.resolve(id + ".slice")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
