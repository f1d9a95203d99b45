package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.testkit.time.Awaiting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A backlog older than the sweep threshold: every message is queued before any worker runs, the
 * backlog is left to age past {@code SEGREL_STRANDED_AFTER_SECONDS} (2 s), and a throttled fleet
 * (concurrency 1) that sweeps every second drains it for several thresholds. The sweeper must send
 * nothing for a short queue: every waiting task's message is still in it (item 4).
 */
class BacklogChaosIT {

    private static final int STRANDED_AFTER_SECONDS = 2;
    private static final int WORKERS = 2;

    @Test
    void aBacklogOlderThanTheSweepThresholdIsDrainedWithoutTheSweeperSendingAnything() throws Exception {
        try (ChaosJob job = ChaosJob.create("backlog", ChaosJob.Mode.SINGLE);
                Fleet fleet = new Fleet(job.scenario, job.workerSettings().with(Map.of(
                        "SEGREL_STRANDED_AFTER_SECONDS", Integer.toString(STRANDED_AFTER_SECONDS),
                        "SEGREL_SWEEP_INTERVAL_SECONDS", "1",
                        // single-segment messages: the exact comparison, so any message sent too many shows
                        "SEGREL_SWEEP_TASKS_PER_MESSAGE", "1",
                        "SEGREL_CONCURRENCY", "1",
                        "SEGREL_RECEIVERS", "1",
                        "SEGREL_HTTP_PORT", "0")), WORKERS)) {
            job.send(job.taskBodies());
            // the whole backlog older than the threshold, on the database's clock, before any worker runs
            Awaiting.until(() -> job.queryLong("SELECT count(*) FROM segment_task WHERE job_id = '" + job.id
                    + "' AND updated_at < now() - interval '" + (STRANDED_AFTER_SECONDS + 1) + " seconds'"),
                    n -> n == job.size, Duration.ofSeconds(30));
            Instant started = Instant.now();
            fleet.startAll();
            job.awaitTerminal();
            Duration drained = Duration.between(started, Instant.now());
            long[] received = new long[WORKERS];
            long[] queueShort = new long[WORKERS];
            long[] leaseExpired = new long[WORKERS];
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < WORKERS; i++) {
                int port = fleet.awaitHttpPort(i, Duration.ofSeconds(30));
                String metrics = get(http, port);
                received[i] = value(metrics, "segrel_messages_received_total", "");
                queueShort[i] = value(metrics, "segrel_sweeper_redispatched_total", "cause=\"queue_short\"");
                leaseExpired[i] = value(metrics, "segrel_sweeper_redispatched_total", "cause=\"lease_expired\"");
            }

            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0),
                    new Figures("A backlog older than the sweep threshold"));
            long sentByProducer = job.sent();
            long receivedByFleet = received[0] + received[1];
            long resentQueueShort = queueShort[0] + queueShort[1];
            figures.put("SEGREL_STRANDED_AFTER_SECONDS / sweep interval (s)", STRANDED_AFTER_SECONDS + " / 1")
                    .put("backlog drained in (s), from the first worker's start", drained.toSeconds())
                    .put("messages sent by the producer", sentByProducer)
                    .put("messages received by the fleet", receivedByFleet)
                    .put("re-sent by the sweeper: queue_short / lease_expired",
                            resentQueueShort + " / " + (leaseExpired[0] + leaseExpired[1]))
                    .write(job.elapsed());
            assertThat(resentQueueShort).as("the queue held every waiting task's message").isZero();
            assertThat(receivedByFleet).as("every message received at least once").isGreaterThanOrEqualTo(sentByProducer);
        }
    }

    private static String get(HttpClient http, int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the first sample of {@code name} whose labels contain {@code label}; fails when none. */
    private static long value(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        while (m.find()) {
            if (m.group(1) == null ? label.isEmpty() : m.group(1).contains(label)) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " {" + label + "} in the worker's metrics");
    }
}
