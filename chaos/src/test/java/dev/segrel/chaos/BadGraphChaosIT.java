package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskState;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Bad graph data in a live job: two texts aligned to part of the job's text only, X to root segments
 * 10..19 and Y to 20..24, are added to the shared canon and corrupted with Cypher as another tool
 * might write them: zero-length segments of X (one inside each of r10..r13's probes of X), one ending
 * past {@code int} (reached by r14..r19) and an alignment segment of Y without a start (reached by
 * every search that reaches Y). Exactly those fifteen tasks fail, on their first attempt, naming the
 * segment and manifestation; every other task completes with the canon's answer; the job ends FAILED
 * with exact counts and one completion message; no worker logs an unexpected failure; each worker
 * loads each slice once; each failed task's message is recorded and dead-lettered once, with its
 * reason, as every FAILED task's is. The graph is restored afterwards (the other scenarios share it).
 */
class BadGraphChaosIT {

    private static final Pattern MISSES = Pattern.compile(
            "segrel_cache_requests_total\\{[^}]*cache=\"index\"[^}]*result=\"miss\"[^}]*} ([0-9.E]+)");

    /** The islands: R-al-x (rx10..rx19) to X, R-al-y (ry20..ry24) to Y, each text segmented 1:1. */
    static GraphFixture islands() {
        GraphFixture f = new GraphFixture().manifestation("X").manifestation("Y");
        island(f, "x", 10, 20);
        island(f, "y", 20, 25);
        return f;
    }

    private static void island(GraphFixture f, String t, int from, int to) {
        String text = t.toUpperCase(java.util.Locale.ROOT);
        List<Segment> root = new ArrayList<>();
        List<Segment> aligned = new ArrayList<>();
        List<Segment> segmentation = new ArrayList<>();
        for (int i = from; i < to; i++) {
            root.add(GraphFixture.seg("r" + t + i, i * 10, i * 10 + 10));
            aligned.add(GraphFixture.seg(t + "a" + i, i * 10, i * 10 + 10));
            segmentation.add(GraphFixture.seg(t + "s" + i, i * 10, i * 10 + 10));
        }
        f.annotation(ChaosRig.ROOT, "R-al-" + t, GraphFixture.Type.ALIGNMENT, root)
                .annotation(text, text + "-al", GraphFixture.Type.ALIGNMENT, aligned)
                .annotation(text, text + "-seg", GraphFixture.Type.SEGMENTATION, segmentation)
                .linkAnnotations("R-al-" + t, text + "-al");
        for (int i = from; i < to; i++) {
            f.linkSegments("r" + t + i, t + "a" + i);
        }
    }

    /** Which bad segment each failing root segment's search reaches first. */
    static Map<String, String> expectedReasons() {
        Map<String, String> out = new HashMap<>();
        for (int i = 10; i < 14; i++) {
            out.put("r" + i, "segment xs" + i + " of manifestation X: span_start " + (i * 10 + 5) + " >= span_end "
                    + (i * 10 + 5));
        }
        for (int i = 14; i < 20; i++) {
            out.put("r" + i, "segment xs14 of manifestation X: span_end 3000000000 is past the int range");
        }
        for (int i = 20; i < 25; i++) {
            out.put("r" + i, "segment ya22 of manifestation Y: span_start is missing");
        }
        return out;
    }

    static void write(String cypher, Map<String, Object> params) {
        try (var session = TestingNeo4j.get().driver().session()) {
            session.executeWriteWithoutResult(tx -> tx.run(cypher, params).consume());
        }
    }

    static void corrupt() {
        for (int i = 10; i < 14; i++) {
            write("MATCH (s:Segment {id: $id}) SET s.span_start = $at, s.span_end = $at",
                    Map.of("id", "xs" + i, "at", i * 10 + 5));
        }
        write("MATCH (s:Segment {id: 'xs14'}) SET s.span_end = 3000000000", Map.of());
        write("MATCH (s:Segment {id: 'ya22'}) REMOVE s.span_start", Map.of());
    }

    static void restore() {
        List<String> annotations = List.of("R-al-x", "X-al", "X-seg", "R-al-y", "Y-al", "Y-seg");
        write("MATCH (s:Segment)-[:SEGMENTATION_OF]->(a:Annotation) WHERE a.id IN $a DETACH DELETE s",
                Map.of("a", annotations));
        write("MATCH (a:Annotation) WHERE a.id IN $a DETACH DELETE a", Map.of("a", annotations));
        write("MATCH (m:Manifestation) WHERE m.id IN ['X', 'Y'] DETACH DELETE m", Map.of());
    }

    @Test
    void tasksReachingBadDataFailAtOnceNamingItAndEveryOtherTaskCompletes() throws Exception {
        ChaosRig rig = ChaosRig.get();
        Map<String, String> reasons = expectedReasons();
        islands().statements(BadGraphChaosIT::write);
        try {
            corrupt();
            try (ChaosJob job = ChaosJob.create("badgraph", ChaosJob.Mode.SINGLE);
                    Fleet fleet = new Fleet(job.scenario, job.workerSettings().with(Map.of("SEGREL_HTTP_PORT", "0")),
                            ChaosRig.WORKERS)) {
                job.expectFailed(reasons.keySet());
                job.send(job.taskBodies());
                fleet.startAll();
                Figures figures = job.verify(fleet, new ChaosJob.Expect(JobState.FAILED, reasons.size()),
                        new Figures("Bad graph data in a live job"));

                List<TaskDetail> tasks = new ArrayList<>();
                job.postgres.reads().forEachTask(job.id, tasks::add);
                int retried = 0;
                for (TaskDetail t : tasks) {
                    if (t.state() == TaskState.FAILED) {
                        assertThat(t.error()).as(t.key().segmentId())
                                .isEqualTo("invalid graph data: " + reasons.get(t.key().segmentId()));
                        retried += t.attempts() > 1 ? 1 : 0;
                    }
                }
                assertThat(retried).as("failed tasks retried").isZero();

                long misses = 0;
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < fleet.size(); i++) {
                    int port = fleet.awaitHttpPort(i, Duration.ofSeconds(30));
                    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    Matcher m = MISSES.matcher(metrics);
                    while (m.find()) {
                        misses += (long) Double.parseDouble(m.group(1));
                    }
                }
                long unexpected = 0;
                long failedForGood = 0;
                for (Path log : fleet.logs()) {
                    String text = Fleet.read(log);
                    unexpected += text.split("nexpected", -1).length - 1;
                    failedForGood += text.split("fails for good: invalid graph data", -1).length - 1;
                }
                // five texts (R, T, C, X, Y): each worker loads each slice at most once
                assertThat(misses).as("slice loads").isBetween(1L, 5L * fleet.size());
                assertThat(unexpected).as("\"unexpected\" in the workers' logs").isZero();
                assertThat(failedForGood).isEqualTo(reasons.size());
                figures.put("tasks made to fail (reaching bad data)", reasons.size())
                        .put("failed tasks retried", retried)
                        .put("slice loads, whole fleet (5 texts x " + fleet.size() + " workers at most)", misses)
                        .put("\"unexpected\" lines in the logs", unexpected)
                        .write(job.elapsed());
            }
        } finally {
            restore();
        }
        assertThat(ChaosRig.nodeCount()).as("graph restored").isEqualTo(rig.graphNodes);
    }
}
