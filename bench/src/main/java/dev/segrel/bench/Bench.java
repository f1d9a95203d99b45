package dev.segrel.bench;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.dragonfly.CacheInvalidation;
import dev.segrel.dragonfly.DragonflyConfig;
import dev.segrel.dragonfly.DragonflySliceSource;
import dev.segrel.dragonfly.RedisCache;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.neo4j.Neo4jConfig;
import dev.segrel.neo4j.Neo4jSliceSource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * The side-by-side benchmark: one synthetic canon in an embedded Neo4j, one job (every segment of
 * the first manifestation), computed (a) the existing service's way, item by item
 * ({@link LegacyStyleSearch}), (a') with segrel's batched Neo4j adapter, (b) the existing service's
 * way with its cache in Dragonfly, (c) over the alignment index from a cold start and warm, (c')
 * over the index with slices read from Dragonfly (a worker joining a warm fleet). Then the pipeline, on one
 * embedded SQS and one embedded PostgreSQL: what each server alone can do with the job ({@link Ceilings}),
 * beside the real worker ({@link WorkerRun}) running the job end to end, with single-segment messages and with
 * batch messages of {@value WorkerRun#BATCH} segments.
 *
 * <p>The slow paths run on an evenly spread sample of the job's segments
 * ({@link Options#plainSample}); the index paths run the whole job. Rates are segments per second
 * of wall time with {@link Options#workers} threads.
 */
public final class Bench {

    /**
     * @param manifestations manifestations in the canon
     * @param segments segments per manifestation
     * @param workers threads computing segments
     * @param seed the corpus seed
     * @param plainSample how many segments the slow paths compute
     * @param redisUrl the cache server; empty: find or start one (or skip the cache rows)
     * @param endToEndSegments segments of the pipeline rows' job (spread over the job; at least the job's size:
     *     the whole job); 0 skips them
     */
    public record Options(int manifestations, int segments, int workers, long seed, int plainSample,
            Optional<String> redisUrl, int endToEndSegments) {
        public Options {
            requireNonNull(redisUrl, "redisUrl is null");
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, was " + workers);
            }
            if (plainSample < 1) {
                throw new IllegalArgumentException("plainSample must be >= 1, was " + plainSample);
            }
        }
    }

    /** The measurements and the summary ratios. */
    public record Result(Options options, long corpusSegments, double loadSeconds, List<Measurement> rows,
            Map<String, Object> summary, List<String> notes) {

        public String table() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "corpus: %d manifestations x %d segments (%,d segment nodes), seed %d,"
                    + " written in %.1f s; %d worker thread(s)%n", options.manifestations(), options.segments(),
                    corpusSegments, options.seed(), loadSeconds, options.workers()));
            b.append(String.format(Locale.ROOT, "%-52s %9s %10s %12s %10s %10s %10s%n", "path", "segments", "seconds",
                    "segments/s", "p50 ms", "p99 ms", "queries/seg"));
            for (Measurement m : rows) {
                b.append(String.format(Locale.ROOT, "%-52s %9d %10.2f %12.1f %10s %10s %10s%n", m.name(), m.items(),
                        m.seconds(), m.perSecond(), millis(m.p50Millis()), millis(m.p99Millis()),
                        m.roundTripsPerItem() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", m.roundTripsPerItem())));
            }
            for (String note : notes) {
                b.append("note: ").append(note).append('\n');
            }
            return b.toString();
        }

        private static String millis(double value) {
            return value < 0 ? "-" : String.format(Locale.ROOT, "%.3f", value);
        }

        public String json() {
            StringBuilder b = new StringBuilder("{");
            summary.forEach((k, v) -> {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append('"').append(k).append("\":");
                b.append(v instanceof String s ? "\"" + s.replace("\"", "'") + "\""
                        : v instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : String.valueOf(v));
            });
            return b.append('}').toString();
        }
    }

    private Bench() {}

    public static Result run(Options o, PrintWriter progress) throws Exception {
        List<String> notes = new ArrayList<>();
        Corpus corpus = new CorpusGenerator(o.seed(), o.manifestations(), o.segments()).generate();
        progress.printf("starting Neo4j...%n").flush();
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(0); RedisLocator redis = new RedisLocator()) {
            neo4j.createSchema();
            long t0 = System.nanoTime();
            CorpusGenerator.write(corpus, neo4j::execute, 10_000);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            progress.printf("corpus written: %,d segments in %.1f s%n", corpus.segmentCount(), loadSeconds).flush();

            Neo4jConfig config = Neo4jConfig.of(neo4j.boltUri(), "neo4j", "");
            List<Segment> job = corpus.segmentation(corpus.jobManifestation());
            List<Segment> sample = sample(job, o.plainSample());
            String m0 = corpus.jobManifestation();
            List<Measurement> rows = new ArrayList<>();
            Map<Segment, List<Mapping>> reference = new LinkedHashMap<>();

            try (Driver driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.none());
                    Neo4jAlignmentGraph batched = Neo4jAlignmentGraph.connect(config);
                    Neo4jSliceSource slices = Neo4jSliceSource.connect(config)) {
                // warm the server's page cache and query plans once for every path
                FindRelatedSegments plainBatched = SegmentRelations.over(batched);
                LegacyStyleSearch legacy = new LegacyStyleSearch(driver, Optional.empty());
                for (Segment s : sample(job, 5)) {
                    legacy.search(m0, s.span());
                    plainBatched.mappings(query(m0, s));
                }
                // the server plans the slice query once (seconds on a cold server); no slice is kept
                slices.load("__segrel_bench_warm_up__");

                progress.printf("(a) existing service's way on %d segments...%n", sample.size()).flush();
                long rt = legacy.roundTrips();
                Measurement plain = Measurement.of("(a) plain: per-item queries (existing way)", sample, o.workers(),
                        s -> {
                            List<Mapping> answer = legacy.search(m0, s.span());
                            synchronized (reference) {
                                reference.put(s, answer);
                            }
                        }).withRoundTrips(legacy.roundTrips() - rt);
                rows.add(plain);

                progress.printf("(a') segrel's batched Neo4j adapter...%n").flush();
                rt = batched.roundTrips();
                rows.add(Measurement.of("(a') segrel batched Neo4j adapter", sample, o.workers(),
                        s -> plainBatched.mappings(query(m0, s))).withRoundTrips(batched.roundTrips() - rt));

                Optional<String> url = redis.find(o.redisUrl());
                Measurement cached = null;
                RedisCache cache = null;
                if (url.isPresent()) {
                    cache = RedisCache.connect(DragonflyConfig.of(url.get()));
                    cache.deleteMatching(List.of("segrel:bench:*"), List.of());
                    new CacheInvalidation(cache).invalidate(Optional.empty());
                    LegacyStyleSearch legacyCached = new LegacyStyleSearch(driver, Optional.of(cache));
                    progress.printf("(b) existing way with its Dragonfly cache...%n").flush();
                    rt = legacyCached.roundTrips();
                    cached = Measurement.of("(b) plain + Dragonfly cache", sample, o.workers(),
                            s -> legacyCached.search(m0, s.span())).withRoundTrips(legacyCached.roundTrips() - rt);
                    rows.add(cached);
                } else {
                    notes.add("cache rows skipped: " + redis.why);
                }

                progress.printf("(c) alignment index, cold start, whole job of %d segments...%n", job.size()).flush();
                IndexedAlignmentGraph indexed = IndexedAlignmentGraph.over(batched, slices);
                FindRelatedSegments fromIndex = SegmentRelations.over(indexed);
                rt = slices.roundTrips();
                Measurement cold = Measurement.of("(c) alignment index, cold (loads included)", job, o.workers(),
                        s -> fromIndex.mappings(query(m0, s))).withRoundTrips(slices.roundTrips() - rt);
                rows.add(cold);
                Measurement warm = Measurement.of("(c) alignment index, warm", job, o.workers(),
                        s -> fromIndex.mappings(query(m0, s)));
                rows.add(warm);

                if (cache != null) {
                    DragonflySliceSource shared = new DragonflySliceSource(slices, cache);
                    IndexedAlignmentGraph.over(batched, shared).preload(corpus.manifestations().stream()
                            .map(Corpus.Manifestation::id).toList());
                    FindRelatedSegments fromShared = SegmentRelations.over(IndexedAlignmentGraph.over(batched, shared));
                    rows.add(Measurement.of("(c') index, slices from Dragonfly (cold JVM)", job, o.workers(),
                            s -> fromShared.mappings(query(m0, s))));
                    notes.add("cache fallbacks: " + cache.fallbacks());
                    cache.close();
                }

                int mismatches = 0;
                for (Map.Entry<Segment, List<Mapping>> e : reference.entrySet()) {
                    if (!fromIndex.mappings(query(m0, e.getKey())).equals(e.getValue())) {
                        mismatches++;
                    }
                }
                notes.add(String.format(Locale.ROOT, "answers compared on %d segments: %s", reference.size(),
                        mismatches == 0 ? "index == existing way on every one" : mismatches + " MISMATCHES"));
                notes.add(String.format(Locale.ROOT, "the job reaches %d manifestations per segment (first segment)",
                        reference.isEmpty() ? 0 : reference.values().iterator().next().size()));

                Runtime rt0 = Runtime.getRuntime();
                notes.add(String.format(Locale.ROOT, "heap in use after the index runs: %d MB (max %d MB)",
                        (rt0.totalMemory() - rt0.freeMemory()) >> 20, rt0.maxMemory() >> 20));
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("manifestations", o.manifestations());
                summary.put("segments", o.segments());
                summary.put("workers", o.workers());
                summary.put("plain_segments_per_s", plain.perSecond());
                summary.put("batched_segments_per_s", rows.get(1).perSecond());
                if (cached != null) {
                    summary.put("cache_segments_per_s", cached.perSecond());
                }
                summary.put("index_cold_segments_per_s", cold.perSecond());
                summary.put("index_warm_segments_per_s", warm.perSecond());
                summary.put("index_vs_plain", cold.perSecond() / plain.perSecond());
                summary.put("index_warm_vs_plain", warm.perSecond() / plain.perSecond());
                summary.put("cache_vs_plain", cached == null ? 0.0 : cached.perSecond() / plain.perSecond());
                summary.put("index_vs_batched", cold.perSecond() / rows.get(1).perSecond());
                summary.put("answers_match", mismatches == 0);

                if (o.endToEndSegments() > 0) {
                    List<Segment> e2eJob = sample(job, o.endToEndSegments());
                    Map<String, String> results = new HashMap<>();
                    for (Segment s : e2eJob) {
                        results.put(s.id(), MappingJson.write(fromIndex.mappings(query(m0, s))));
                    }
                    progress.printf("pipeline: starting SQS and PostgreSQL...%n").flush();
                    try (PipelineServers servers = PipelineServers.start(o.workers())) {
                        pipeline(o, servers, neo4j.boltUri(), m0, e2eJob, results, reference, rows, summary, notes,
                                progress);
                    }
                    summary.put("answers_match", mismatches == 0 && Boolean.TRUE.equals(summary.get("end_to_end_answers_match")));
                    summary.remove("end_to_end_answers_match");
                }
                return new Result(o, corpus.segmentCount(), loadSeconds, rows, summary, notes);
            }
        }
    }

    /**
     * The pipeline rows on {@code servers}: the queue ceilings (single and batch bodies), the store ceiling, then
     * the real worker end to end with single messages (warm), and with batches of {@value WorkerRun#BATCH} on a
     * fresh worker (cold: its first job) and again on that worker (warm); then the stored results checked.
     */
    private static void pipeline(Options o, PipelineServers servers, String neo4jUri, String m0, List<Segment> e2eJob,
            Map<String, String> results, Map<Segment, List<Mapping>> reference, List<Measurement> rows,
            Map<String, Object> summary, List<String> notes, PrintWriter progress) throws Exception {
        int w = o.workers();
        int n = e2eJob.size();
        List<Segment> warmUp = sample(e2eJob, Math.min(200, n));
        JobId singleJob = JobId.random();
        JobId coldJob = JobId.random();
        JobId warmJob = JobId.random();
        List<String> singleBodies = WorkerRun.singleBodies(singleJob, m0, e2eJob);
        List<String> coldBodies = WorkerRun.batchBodies(coldJob, m0, e2eJob);
        List<String> warmBodies = WorkerRun.batchBodies(warmJob, m0, e2eJob);

        progress.printf("queue ceiling: %d single messages, then %d batch messages...%n", n, warmBodies.size()).flush();
        // the JVM's SQS and JDBC paths and the servers warmed once, unmeasured
        Ceilings.queue("warm-up", servers, WorkerRun.singleBodies(JobId.random(), m0, warmUp), warmUp.size(), w);
        Measurement queue = Ceilings.queue("queue_ceiling: SQS receive(10)+delete, single", servers, singleBodies, n, w);
        Measurement batchQueue = Ceilings.queue("batch_queue_ceiling: the same, batches of " + WorkerRun.BATCH, servers,
                warmBodies, n, w);
        progress.printf("store ceiling: %d precomputed results, %d a statement...%n", n, Ceilings.STORE_ROWS).flush();
        Ceilings.store("warm-up", servers, m0, warmUp, results, w);
        Measurement store = Ceilings.store("store_ceiling: PostgreSQL, " + Ceilings.STORE_ROWS + " results a statement",
                servers, m0, e2eJob, results, w);
        rows.add(queue);
        rows.add(batchQueue);
        rows.add(store);

        progress.printf("end to end: worker, %d single messages...%n", n).flush();
        Measurement single;
        try (WorkerRun worker = new WorkerRun(servers, neo4jUri, w, "single")) {
            // its index loaded and its paths warmed by a small job first, unmeasured
            JobId warmUpJob = JobId.random();
            worker.single("warm-up", m0, warmUpJob, warmUp, WorkerRun.singleBodies(warmUpJob, m0, warmUp));
            single = worker.single("end to end: worker, single messages (warm)", m0, singleJob, e2eJob, singleBodies);
        }
        rows.add(single);
        progress.printf("end to end: a fresh worker, %d batch messages, twice...%n", coldBodies.size()).flush();
        Measurement cold;
        Measurement warm;
        try (WorkerRun worker = new WorkerRun(servers, neo4jUri, w, "batch")) {
            cold = worker.batch("end to end: worker, batches (cold: first job)", m0, coldJob, e2eJob, coldBodies);
            warm = worker.batch("end to end: worker, batches (warm)", m0, warmJob, e2eJob, warmBodies);
        }
        rows.add(warm);
        rows.add(cold);

        // the stored results against the existing way's answers (the index's where the sample misses the job)
        List<Segment> checked = e2eJob.stream().filter(reference::containsKey).toList();
        boolean againstReference = !checked.isEmpty();
        if (!againstReference) {
            checked = sample(e2eJob, Math.min(50, n));
        }
        List<String> ids = checked.stream().map(Segment::id).toList();
        int compared = 0;
        int wrong = 0;
        for (JobId id : List.of(singleJob, coldJob, warmJob)) {
            Map<String, String> stored = servers.results(id, ids);
            for (Segment s : checked) {
                compared++;
                String json = stored.get(s.id());
                List<Mapping> expected = againstReference ? reference.get(s) : MappingJson.parse(results.get(s.id()));
                if (json == null || !MappingJson.parse(json).equals(expected)) {
                    wrong++;
                }
            }
        }
        notes.add(String.format(Locale.ROOT, "stored results compared on %d segments of each end-to-end job (%d in all)"
                + " with %s: %s", checked.size(), compared, againstReference ? "the existing way's answers"
                : "the index's answers (no sampled segment in the job)", wrong == 0 ? "all equal" : wrong + " MISMATCHES"));
        notes.add("worker: SEGREL_CONCURRENCY=" + WorkerRun.CONCURRENCY + ", SEGREL_RECEIVERS=" + w
                + " (a worker that does not know SEGREL_RECEIVERS yet runs one receive loop)");

        double plain = (double) summary.get("plain_segments_per_s");
        summary.put("end_to_end_segments", n);
        summary.put("queue_ceiling_segments_per_s", queue.perSecond());
        summary.put("batch_queue_ceiling_segments_per_s", batchQueue.perSecond());
        summary.put("store_ceiling_segments_per_s", store.perSecond());
        summary.put("single_end_to_end_segments_per_s", single.perSecond());
        summary.put("batch_end_to_end_segments_per_s", warm.perSecond());
        summary.put("batch_end_to_end_cold_segments_per_s", cold.perSecond());
        summary.put("single_vs_queue_ceiling", single.perSecond() / queue.perSecond());
        summary.put("batch_vs_store_ceiling", warm.perSecond() / store.perSecond());
        summary.put("batch_cold_vs_store_ceiling", cold.perSecond() / store.perSecond());
        summary.put("batch_vs_plain", warm.perSecond() / plain);
        summary.put("end_to_end_answers_match", wrong == 0);
    }

    private static Query query(String m, Segment s) {
        return new Query(m, s.span(), RelationMode.SEGMENTATION);
    }

    /** {@code n} segments spread evenly over the job. */
    static List<Segment> sample(List<Segment> job, int n) {
        if (n >= job.size()) {
            return job;
        }
        List<Segment> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(job.get((int) ((long) i * job.size() / n)));
        }
        return out;
    }
}
