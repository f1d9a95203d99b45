package dev.segrel.bench.jmh;

import dev.segrel.bench.Corpus;
import dev.segrel.bench.CorpusGenerator;
import dev.segrel.bench.CorpusSlices;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.out.AlignmentGraph;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The related-segments search over the in-memory alignment index, once loaded (no database): the
 * ceiling of the fast path. Run it with (see docs/benchmarks.md):
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:$(cat /tmp/cp)" org.openjdk.jmh.Main IndexSearchBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class IndexSearchBenchmark {

    @Param({"12"})
    public int manifestations;

    @Param({"5000"})
    public int segments;

    private FindRelatedSegments relations;
    private String job;
    private List<Segment> jobSegments;
    private int next;
    private ManifestationSlice rootSlice;

    @Setup(Level.Trial)
    public void load() {
        Corpus corpus = new CorpusGenerator(42, manifestations, segments).generate();
        CorpusSlices slices = new CorpusSlices(corpus);
        IndexedAlignmentGraph graph = IndexedAlignmentGraph.over(new NoGraph(), slices);
        graph.preload(corpus.manifestations().stream().map(Corpus.Manifestation::id).toList());
        relations = SegmentRelations.over(graph);
        job = corpus.jobManifestation();
        jobSegments = corpus.segmentation(job);
        rootSlice = slices.load(job);
    }

    /** One segment's related segments, segments taken in turn over the whole job. */
    @Benchmark
    public List<Mapping> searchOneSegment() {
        Segment s = jobSegments.get(next++ % jobSegments.size());
        return relations.mappings(new Query(job, s.span(), RelationMode.SEGMENTATION));
    }

    /** One overlap lookup in one slice's segmentation (the innermost operation). */
    @Benchmark
    public List<Segment> overlapLookup() {
        Segment s = jobSegments.get(next++ % jobSegments.size());
        return rootSlice.segmentationOverlapping(s.span());
    }

    /** Only the search's port calls are used: the rest is not needed here. */
    public static final class NoGraph implements AlignmentGraph {
        @Override
        public List<List<AlignedPair>> alignedSegments(List<Probe> probes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<List<Segment>> segmentationSegments(List<Probe> probes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean manifestationExists(String manifestationId) {
            return true;
        }

        @Override
        public List<Segment> segmentsOf(String manifestationId, SegmentSource source) {
            return List.of();
        }
    }
}
