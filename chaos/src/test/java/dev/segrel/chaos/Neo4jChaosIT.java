package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobState;
import dev.segrel.testkit.time.Awaiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: Neo4j unreachable (the proxy in front of it cut: connections reset and refused), for
 * less than the retry budget and for longer.
 */
class Neo4jChaosIT {

    /**
     * A worker answers from its in-memory index once a manifestation is loaded, so an outage after
     * that would not reach it at all. These scenarios run the workers on the plain adapter, which
     * queries Neo4j for every task: each task processed while Neo4j is down meets the outage.
     */
    private static final Map<String, String> EVERY_TASK_QUERIES_NEO4J = Map.of("SEGREL_GRAPH_INDEX", "false");

    @AfterEach
    void restore() {
        ChaosRig.get().neo4jProxy.restore();
    }

    @Test
    void anOutageShorterThanTheRetryBudgetEndsWithTheJobCompletedAndNoTaskFailed() throws Exception {
        TcpProxy proxy = ChaosRig.get().neo4jProxy;
        // 8 attempts, backoff 200 ms doubling to 2 s with equal jitter: at least ~4.5 s of retries per task
        Duration outage = Duration.ofSeconds(3);
        try (ChaosJob job = ChaosJob.create("neo4j-short");
                Fleet fleet = new Fleet("neo4j-short", job.workerSettings().with(EVERY_TASK_QUERIES_NEO4J),
                        ChaosRig.WORKERS)) {
            job.send(job.taskBodies());
            fleet.startAll();
            int outages = 2;
            int refusedBefore = proxy.refused();
            for (int k = 1; k <= outages; k++) {
                job.awaitSettled(job.size * k / (outages + 1));
                proxy.cut();
                Awaiting.hold(outage);
                proxy.restore();
            }
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures("4a. Neo4j down, shorter than the retry budget"));
            figures.put("outages", outages)
                    .put("outage length (s)", outage.toSeconds())
                    .put("connections refused while down", proxy.refused() - refusedBefore)
                    .write(job.elapsed());
        }
    }

    @Test
    void anOutageLongerThanTheRetryBudgetFailsTheRestWithTheirErrorDeadLettersThemAndStillCompletesTheJob()
            throws Exception {
        TcpProxy proxy = ChaosRig.get().neo4jProxy;
        try (ChaosJob job = ChaosJob.create("neo4j-long");
                Fleet fleet = new Fleet("neo4j-long", job.workerSettings().with(EVERY_TASK_QUERIES_NEO4J).with(Map.of(
                        // fail fast while down: the driver's own retries are bounded by the connect timeout
                        "NEO4J_CONNECT_TIMEOUT_MS", "500",
                        "SEGREL_MAX_ATTEMPTS", "3",
                        "SEGREL_RETRY_BASE_MS", "100",
                        "SEGREL_RETRY_MAX_MS", "400")), ChaosRig.WORKERS)) {
            // three quarters sent and settled while Neo4j is up; the last quarter sent only once it is
            // down, so that every one of those tasks meets the outage however fast the workers are
            List<String> bodies = job.taskBodies();
            int before = job.size * 3 / 4;
            job.send(bodies.subList(0, before));
            fleet.startAll();
            job.awaitSettled(before);
            int refusedBefore = proxy.refused();
            proxy.cut();
            job.send(bodies.subList(before, bodies.size()));
            // down until every task is terminal: the rest FAIL after their attempts
            var status = job.awaitTerminal();
            proxy.restore();
            long failed = status.failedSegments();
            assertThat(failed).isEqualTo(job.size - before);
            Figures figures = job.verify(fleet, new ChaosJob.Expect(JobState.FAILED, failed),
                    new Figures("4b. Neo4j down, longer than the retry budget"));
            long withError = job.queryLong("SELECT count(*) FROM segment_task WHERE status = 'FAILED' "
                    + "AND error_message LIKE '%Neo4j%'");
            assertThat(withError).isEqualTo(failed);
            figures.put("tasks FAILED with the Neo4j error", withError)
                    .put("connections refused while down", proxy.refused() - refusedBefore)
                    .write(job.elapsed());
        }
    }
}
