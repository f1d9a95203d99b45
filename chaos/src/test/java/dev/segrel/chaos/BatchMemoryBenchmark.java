package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.oracle.ReferenceRelations;
import dev.segrel.testkit.process.JvmProcesses;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.worker.WorkerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Benchmark, not a test of the suite: a 100,000-segment job the deployed producer's way (a job row,
 * no task rows, 200 batch messages of 500) drained by ONE worker JVM limited to {@code -Xmx512m},
 * started as {@link Fleet} starts workers. Prints whether it completed, the time, segments/s and the
 * worker's peak heap (from its GC log); fails unless every segment is COMPLETED once, the counts are
 * exact, every batch is announced exactly once and the worker never died (no OutOfMemoryError).
 *
 * <p>Its name does not match the suite's {@code *ChaosIT}, so {@code ./mvnw verify} leaves it out. Run:
 * <pre>{@code
 * ./mvnw -B -o -pl chaos -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=BatchMemoryBenchmark
 * }</pre>
 * {@code -Dbench.segments}, {@code -Dbench.batch} and {@code -Dbench.heap} change its sizes (defaults
 * 100000, 500, 512m); it gives up after {@code -Dbench.minutes} (45) or when no batch was announced for
 * {@code -Dbench.stallMinutes} (10). The worker runs with its defaults: nothing bounds results in memory but the
 * worker's own default.
 */
class BatchMemoryBenchmark {

    static final int SEGMENTS = Integer.getInteger("bench.segments", 100_000);
    static final int BATCH = Integer.getInteger("bench.batch", 500);
    static final String HEAP = System.getProperty("bench.heap", "512m");
    static final Duration LIMIT = Duration.ofMinutes(Long.getLong("bench.minutes", 45));
    /** Gives up when no batch was announced for this long (a worker thrashing in full GCs never dies on its own). */
    static final Duration STALL = Duration.ofMinutes(Long.getLong("bench.stallMinutes", 10));

    /** A root segment id in a completion message's {@code segment_ids}. */
    private static final Pattern SEGMENT_ID = Pattern.compile("\"r\\d+\"");
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @Test
    void aHundredThousandSegmentsInBatchesOfFiveHundredCompleteInAWorkerOf512m() throws Exception {
        long t0 = System.nanoTime();
        // the graph: the canon's root R with SEGMENTS segments, aligned to T, T aligned to C
        GraphFixture graph = ThreeTextCanon.of(SEGMENTS);
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.load(graph);
        log("graph of %,d root segments loaded in %.1f s", SEGMENTS, seconds(t0));

        try (ChaosPostgres pg = ChaosPostgres.start()) {
            String url = pg.freshSchemaUrl();
            QueueUrls queues = TestingSqs.createQueues("bench-memory", 1_000);
            try (Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(url).withPoolSize(2))) {
                postgres.migrator().migrate();
                JobId id = JobId.random();
                ChaosJob.submitAsTheDeployedProducer(url, id, SEGMENTS);
                List<String> bodies = ChaosJob.batchBodies(id, SEGMENTS, BATCH);
                for (String body : bodies) {
                    TestingSqs.client().sendMessage(SendMessageRequest.builder().queueUrl(queues.queue())
                            .messageBody(body).build());
                }
                log("job %s: %d batch messages of %d sent", id, bodies.size(), BATCH);

                Path logs = Path.of("target", "bench-logs");
                Path workerLog = JvmProcesses.logFile(logs, "memory-worker");
                Path gcLog = logs.resolve("memory-worker-gc.log").toAbsolutePath();
                Files.deleteIfExists(gcLog);
                Map<String, String> env = new HashMap<>(TestingSqs.settings(queues));
                env.put("NEO4J_URI", neo4j.boltUri());
                env.put("NEO4J_USER", neo4j.user());
                env.put("NEO4J_PASSWORD", neo4j.password());
                env.put(ChaosJob.SOURCE_ENVIRONMENT + "_NEO4J_URI", neo4j.boltUri());
                env.put(ChaosJob.SOURCE_ENVIRONMENT + "_NEO4J_PASSWORD", neo4j.password());
                env.put("POSTGRES_URL", url);
                env.put("SEGREL_MIGRATE_ON_START", "false");
                env.put("SQS_WAIT_SECONDS", "1");
                env.put("SEGREL_HTTP_PORT", "-1");
                env.put("SEGREL_WORKER_ID", "bench-memory");
                env.put("JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcLog + ":uptime");

                long began = System.nanoTime();
                Process worker = JvmProcesses.start(WorkerMain.class.getName(), HEAP, Settings.of(env).asMap(), workerLog);
                List<String> completions = new ArrayList<>();
                SqsTaskQueue completed = new SqsTaskQueue(TestingSqs.client(), queues.completed(), Optional.empty(),
                        Duration.ofSeconds(60));
                long deadline = began + LIMIT.toNanos();
                long lastReport = 0;
                long lastProgress = System.nanoTime();
                boolean stalled = false;
                while (completions.size() < bodies.size() && worker.isAlive() && System.nanoTime() < deadline) {
                    List<TaskQueue.QueuedMessage> got = completed.receive(10, Duration.ofSeconds(1));
                    got.forEach(m -> completions.add(m.body()));
                    if (!got.isEmpty()) {
                        completed.delete(got);
                        lastProgress = System.nanoTime();
                    } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                        stalled = true;
                        log("no batch announced for %d min: giving up", STALL.toMinutes());
                        break;
                    }
                    if (System.nanoTime() - lastReport > 30_000_000_000L) {
                        lastReport = System.nanoTime();
                        log("%.0f s: %d of %d batches announced, %s", seconds(began), completions.size(), bodies.size(),
                                heap(gcLog));
                    }
                }
                double took = seconds(began);
                boolean alive = worker.isAlive();
                // a late duplicate would show here
                for (int empty = 0; empty < 3 && alive; ) {
                    List<TaskQueue.QueuedMessage> got = completed.receive(10, Duration.ofSeconds(1));
                    got.forEach(m -> completions.add(m.body()));
                    empty = got.isEmpty() ? empty + 1 : 0;
                }
                worker.destroy();
                worker.waitFor(60, TimeUnit.SECONDS);
                if (worker.isAlive()) {
                    worker.destroyForcibly();
                }

                String workerText = Fleet.read(workerLog);
                List<String> crashes = Fleet.CRASH_MARKERS.stream().filter(workerText::contains).toList();
                Set<Long> batchNumbers = new HashSet<>();
                int announcedSegments = 0;
                for (String body : completions) {
                    Matcher m = Pattern.compile("\"batch_number\":(\\d+)").matcher(body);
                    if (m.find()) {
                        batchNumbers.add(Long.parseLong(m.group(1)));
                    }
                    announcedSegments += count(body, SEGMENT_ID);
                }
                long tasks = queryLong(url, "SELECT count(*) FROM segment_task");
                long completedTasks = queryLong(url, "SELECT count(*) FROM segment_task WHERE status = 'COMPLETED'"
                        + " AND result_json IS NOT NULL");
                long distinctSegments = queryLong(url, "SELECT count(DISTINCT segment_id) FROM segment_task");
                long jobCompleted = queryLong(url, "SELECT completed_segments FROM root_job WHERE job_id = '" + id + "'");
                long jobFailed = queryLong(url, "SELECT failed_segments FROM root_job WHERE job_id = '" + id + "'");
                long jobDone = queryLong(url, "SELECT count(*) FROM root_job WHERE status = 'COMPLETED' AND job_id = '"
                        + id + "'");
                long jobMessages = queryLong(url, "SELECT count(*) FROM segrel_outbox WHERE message_id NOT LIKE 'batch-completed:%'");
                int wrong = sampleResults(postgres, id, graph);

                boolean ok = completions.size() == bodies.size() && batchNumbers.size() == bodies.size()
                        && announcedSegments == SEGMENTS && tasks == SEGMENTS && completedTasks == SEGMENTS
                        && distinctSegments == SEGMENTS && jobCompleted == SEGMENTS && jobFailed == 0 && jobDone == 1
                        && jobMessages == 0 && wrong == 0 && alive && !stalled && crashes.isEmpty();
                String heap = heap(gcLog);
                String summary = String.format(
                        "%s: %,d segments in %d batches of %d, one worker -Xmx%s: %s in %.1f s (%.0f segments/s completed); %s;"
                                + " %d completion messages (%d distinct batches), tasks %d COMPLETED of %d rows,"
                                + " job completed_segments %d failed %d, job-level messages %d, sampled results wrong %d,"
                                + " worker %s%s",
                        ok ? "COMPLETED" : "NOT COMPLETED", SEGMENTS, bodies.size(), BATCH, HEAP,
                        ok ? "done" : "not done", took, completedTasks / took, heap, completions.size(), batchNumbers.size(),
                        completedTasks, tasks, jobCompleted, jobFailed, jobMessages, wrong,
                        alive ? (stalled ? "alive but stalled (no batch announced for " + STALL.toMinutes() + " min)"
                                : "alive to the end") : "DIED (exit " + worker.exitValue() + ")",
                        crashes.isEmpty() ? "" : ", log contains " + crashes);
                log("%s", summary);
                Files.writeString(logs.resolve("memory-summary.txt"), summary + "\n");
                assertThat(ok).as(summary).isTrue();
            }
        }
    }

    /** Every 100th segment's result against the independent oracle's answer; returns how many differ. */
    private static int sampleResults(Postgres postgres, JobId id, GraphFixture graph) {
        ReferenceRelations oracle = ReferenceRelations.of(graph);
        int[] wrong = {0};
        postgres.reads().forEachTask(id, (TaskDetail r) -> {
            int i = Integer.parseInt(r.key().segmentId().substring(1));
            if (i % 100 != 0) {
                return;
            }
            List<Mapping> expected = oracle.mappings(ThreeTextCanon.ROOT, ThreeTextCanon.rootSpan(i).start(),
                    ThreeTextCanon.rootSpan(i).end());
            if (r.state() != TaskState.COMPLETED || !expected.equals(r.mappings())) {
                wrong[0]++;
            }
        });
        return wrong[0];
    }

    /** Peak heap before a collection (the most the heap held) and peak after one (the most that was live). */
    static String heap(Path gcLog) {
        String text = Fleet.read(gcLog);
        Matcher m = GC_LINE.matcher(text);
        long before = 0;
        long after = 0;
        long committed = 0;
        int gcs = 0;
        int full = 0;
        for (int i = text.indexOf("Pause Full"); i >= 0; i = text.indexOf("Pause Full", i + 1)) {
            full++;
        }
        while (m.find()) {
            before = Math.max(before, Long.parseLong(m.group(1)));
            after = Math.max(after, Long.parseLong(m.group(2)));
            committed = Math.max(committed, Long.parseLong(m.group(3)));
            gcs++;
        }
        return String.format("peak heap used %d MB (before a GC), peak live %d MB (after a GC), heap committed %d MB,"
                + " %d GCs of which %d full", before, after, committed, gcs, full);
    }

    private static int count(String text, Pattern pattern) {
        int n = 0;
        for (Matcher m = pattern.matcher(text); m.find(); ) {
            n++;
        }
        return n;
    }

    private static long queryLong(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
