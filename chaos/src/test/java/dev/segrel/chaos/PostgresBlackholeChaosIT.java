package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.testkit.time.Awaiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL black-holed for longer than the visibility period: the workers reach it through a
 * {@link TcpProxy} that, mid-job, accepts and reads but answers nothing, for longer than the queue's
 * visibility timeout (= the lease), then comes back. Every worker's {@code /health/live} must go DOWN
 * within one visibility period of the hole opening, come back UP after it closes, and the job must end
 * with the suite's invariants.
 */
class PostgresBlackholeChaosIT {

    /** {@code SQS_VISIBILITY_SECONDS} of {@link ChaosJob#workerSettings()}. */
    private static final Duration VISIBILITY = Duration.ofSeconds(4);
    /** Three visibility periods and more: every lease and message of the hole's start expires in it. */
    private static final Duration HOLE = Duration.ofSeconds(ChaosRig.FULL ? 30 : 14);
    /** The probe's own polling and a loaded machine's scheduling, on top of the visibility period. */
    private static final Duration PROBE_SLACK = Duration.ofSeconds(1);

    @Test
    void aBlackHoledDatabaseTakesLivenessDownWithinAVisibilityPeriodAndTheJobLosesAndDoublesNothing() throws Exception {
        ChaosRig rig = ChaosRig.get();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (ChaosJob job = ChaosJob.create("pg-blackhole");
                TcpProxy proxy = new TcpProxy("127.0.0.1", rig.postgres.port())) {
            String viaProxy = job.jdbcUrl.replace("127.0.0.1:" + rig.postgres.port() + "/", "127.0.0.1:" + proxy.port() + "/");
            assertThat(viaProxy).isNotEqualTo(job.jdbcUrl);
            Settings settings = job.workerSettings().with(Map.of("POSTGRES_URL", viaProxy, "SEGREL_HTTP_PORT", "0"));
            try (Fleet fleet = new Fleet(job.scenario, settings, ChaosRig.WORKERS)) {
                job.send(job.taskBodies());
                fleet.startAll();
                int[] ports = fleet.awaitHttpPorts(Duration.ofSeconds(60));
                job.awaitSettled(job.size / 4);
                for (int port : ports) {
                    assertThat(live(http, port)).as("live before the hole, port %s", port).isEqualTo(200);
                }

                long opened = System.nanoTime();
                proxy.blackhole();
                long[] downAfterMs = new long[ports.length];
                Arrays.fill(downAfterMs, -1);
                while (System.nanoTime() - opened < HOLE.toNanos()) {
                    for (int i = 0; i < ports.length; i++) {
                        if (downAfterMs[i] < 0 && live(http, ports[i]) == 503) {
                            downAfterMs[i] = (System.nanoTime() - opened) / 1_000_000;
                        }
                    }
                    Fleet.failIfAllDead();
                    Awaiting.hold(Duration.ofMillis(100));
                }
                int settledInHole = job.settled();
                proxy.restore();
                long restored = System.nanoTime();
                for (int port : ports) {
                    Awaiting.until(() -> live(http, port), status -> status == 200, Duration.ofSeconds(90));
                }
                long upAgainMs = (System.nanoTime() - restored) / 1_000_000;

                Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0),
                        new Figures("PostgreSQL black-holed for longer than the visibility period"));
                figures.put("visibility period (s)", VISIBILITY.toSeconds())
                        .put("black hole (s)", HOLE.toSeconds())
                        .put("/health/live DOWN after (ms), per worker", Arrays.toString(downAfterMs))
                        .put("all workers live again after the hole closed (ms)", upAgainMs)
                        .put("connections swallowed by the hole", proxy.swallowed())
                        .put("tasks settled when the hole closed", settledInHole)
                        .write(job.elapsed());
                for (int i = 0; i < ports.length; i++) {
                    assertThat(downAfterMs[i]).as("worker %s went DOWN, within one visibility period", i)
                            .isBetween(0L, VISIBILITY.plus(PROBE_SLACK).toMillis());
                }
            }
        }
    }

    /** The status of {@code /health/live}, 0 when the worker does not answer within 2 s. */
    private static int live(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
