package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.testkit.time.Awaiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A flood of health requests during a job: rounds of 200 concurrent {@code /health/ready} requests,
 * spread over the workers, one round a second after the last one answered, through the middle of a
 * job. The job's rate with the flood is compared with its rate over the part before it, without;
 * readiness is served from memory and the endpoints are bounded, so the flood must not slow the
 * tasks beyond noise.
 */
class HealthFloodChaosIT {

    static final int CLIENTS = 200;
    static final Duration PAUSE = Duration.ofMillis(1000);
    /** Below this share of the rate without the flood, the flood slowed the tasks (noise on a shared box is large). */
    static final double SLOWEST_SHARE = 0.5;

    @Test
    void twoHundredConcurrentReadinessClientsLeaveTheJobsRateUnchanged() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // four times the suite's job: at ~100 tasks/s the flood's part (2/5 to 4/5 of it) still spans several rounds
        try (ChaosJob job = ChaosJob.create("health-flood", ChaosRig.GRAPH_SEGMENTS);
                // one task at a time per worker: a job that lasts long enough to measure its rate in parts
                Fleet fleet = new Fleet(job.scenario, job.workerSettings().with(Map.of("SEGREL_HTTP_PORT", "0",
                        "SEGREL_CONCURRENCY", "1", "SEGREL_RECEIVERS", "1")), ChaosRig.WORKERS)) {
            job.send(job.taskBodies());
            fleet.startAll();
            int[] ports = fleet.awaitHttpPorts(Duration.ofSeconds(60));

            double without = rate(job, job.size / 6, job.size * 2 / 5);
            AtomicBoolean flooding = new AtomicBoolean(true);
            Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
            AtomicLong failures = new AtomicLong();
            List<String> leaks = new ArrayList<>();
            AtomicLong rounds = new AtomicLong();
            // rounds of 200 requests at once, each round as soon as the last answered plus a pause: the
            // probe storm of a misconfigured fleet, not a load test of the test JVM (which hosts Neo4j too)
            Thread flood = Thread.ofVirtual().start(() -> {
                List<URI> uris = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    uris.add(URI.create("http://127.0.0.1:" + ports[c % ports.length] + "/health/ready"));
                }
                while (flooding.get()) {
                    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> round = new ArrayList<>();
                    for (URI uri : uris) {
                        round.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString()));
                    }
                    for (var answer : round) {
                        try {
                            HttpResponse<String> r = answer.join();
                            answers.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                            if (r.body().contains("127.0.0.1") || r.body().contains("Exception")) {
                                synchronized (leaks) {
                                    leaks.add(r.body());
                                }
                            }
                        } catch (java.util.concurrent.CompletionException e) {
                            failures.incrementAndGet();
                        }
                    }
                    rounds.incrementAndGet();
                    Awaiting.hold(PAUSE);
                }
            });
            double with;
            try {
                with = rate(job, job.size * 2 / 5, job.size * 9 / 10);
            } finally {
                flooding.set(false);
                flood.join(Duration.ofSeconds(30));
            }

            long served = answers.values().stream().mapToLong(AtomicLong::get).sum();
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures("A flood of health requests during a job"));
            figures.put("concurrent readiness requests per round", CLIENTS)
                    .put("pause between rounds (ms)", PAUSE.toMillis())
                    .put("rounds during the flood", rounds.get())
                    .put("tasks/s without the flood", String.format("%.1f", without))
                    .put("tasks/s with the flood", String.format("%.1f", with))
                    .put("readiness answers during the flood", served)
                    .put("of which 200 / 503", answers.getOrDefault(200, new AtomicLong()) + " / "
                            + answers.getOrDefault(503, new AtomicLong()))
                    .put("requests without an answer", failures.get())
                    .write(job.elapsed());
            assertThat(rounds.get()).as("rounds of %s concurrent requests during the flood", CLIENTS).isGreaterThanOrEqualTo(2);
            assertThat(served).isEqualTo(rounds.get() * CLIENTS - failures.get());
            assertThat(answers.keySet()).as("statuses answered").isSubsetOf(200, 503);
            assertThat(leaks).as("answers naming a host or an exception").isEmpty();
            assertThat(with).as("tasks/s with the flood vs %.1f without", without).isGreaterThanOrEqualTo(without * SLOWEST_SHARE);
        }
    }

    /** Tasks settled per second while the job goes from {@code from} to {@code to} settled tasks. */
    private static double rate(ChaosJob job, int from, int to) {
        job.awaitSettled(from);
        long start = System.nanoTime();
        int first = job.settled();
        job.awaitSettled(to);
        int last = job.settled();
        return (last - first) / ((System.nanoTime() - start) / 1e9);
    }
}
