package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.testkit.time.Awaiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The health endpoints answer from memory: a request never runs a dependency check, says which
 * dependency is down without a host, URL or exception text, and a flood is bounded.
 */
class HttpEndpointsTest {

    private static final List<String> DEPENDENCIES = List.of("neo4j", "postgres", "sqs");

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Boolean> down = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Checks that count their runs and, when down, throw what a real adapter's would: a host and a queue URL. */
    private Readiness readiness() {
        List<HttpEndpoints.Check> checks = new ArrayList<>();
        for (String name : DEPENDENCIES) {
            calls.put(name, new AtomicInteger());
            down.put(name, false);
            checks.add(new HttpEndpoints.Check(name, () -> {
                calls.get(name).incrementAndGet();
                if (down.get(name)) {
                    throw new IllegalStateException("cannot reach db.internal.example:5432 nor"
                            + " https://sqs.eu-west-1.amazonaws.com/123456789012/tasks");
                }
                return true;
            }));
        }
        Readiness readiness = new Readiness(checks, (name, up) -> { });
        open.add(readiness);
        return readiness;
    }

    private HttpEndpoints serve(Readiness readiness, java.util.function.Supplier<String> metrics) throws Exception {
        HttpEndpoints endpoints = HttpEndpoints.start("127.0.0.1", 0, () -> true, readiness::current, metrics);
        open.add(endpoints);
        return endpoints;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void twoHundredConcurrentReadinessRequestsRunNoCheck() throws Exception {
        Readiness readiness = readiness();
        readiness.poll();
        HttpEndpoints endpoints = serve(readiness, () -> "");

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(http.sendAsync(request(endpoints, "/health/ready"), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = answers.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

        // served from memory or refused at once as BUSY: never an answer that waited on a dependency
        assertThat(statuses).hasSize(200).allMatch(s -> s == 200 || s == 503).contains(200);
        for (String name : DEPENDENCIES) {
            assertThat(calls.get(name).get()).as("runs of the %s check", name).isEqualTo(1);
        }
    }

    @Test
    void eachDependencyDownInTurnIsNamedDownWithTheOthersUpAndNoDetail() throws Exception {
        Readiness readiness = readiness();
        HttpEndpoints endpoints = serve(readiness, () -> "");
        for (String failing : DEPENDENCIES) {
            down.replaceAll((name, was) -> name.equals(failing));
            readiness.poll();

            HttpResponse<String> ready = get(endpoints, "/health/ready");

            assertThat(ready.statusCode()).as(failing).isEqualTo(503);
            Map<String, String> expected = new LinkedHashMap<>();
            for (String name : DEPENDENCIES) {
                expected.put(name, name.equals(failing) ? "DOWN" : "UP");
            }
            StringBuilder checks = new StringBuilder();
            expected.forEach((name, state) -> checks.append(checks.isEmpty() ? "" : ",")
                    .append('"').append(name).append("\":\"").append(state).append('"'));
            assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{" + checks + "}}")
                    .doesNotContain("example", "amazonaws", "123456789012", "Exception");
        }
        down.replaceAll((name, was) -> false);
        readiness.poll();

        assertThat(get(endpoints, "/health/ready").body())
                .isEqualTo("{\"status\":\"UP\",\"checks\":{\"neo4j\":\"UP\",\"postgres\":\"UP\",\"sqs\":\"UP\"}}");
    }

    @Test
    void beforeTheFirstPollEveryDependencyReadsDown() throws Exception {
        HttpEndpoints endpoints = serve(readiness(), () -> "");

        HttpResponse<String> ready = get(endpoints, "/health/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"postgres\":\"DOWN\"");
        assertThat(calls.values()).allSatisfy(n -> assertThat(n.get()).isZero()).hasSize(3);
    }

    @Test
    void requestsOverTheBoundAreRefusedAtOnceAndLivenessIsNotAmongThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        HttpEndpoints endpoints = serve(readiness(), () -> {
            inside.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "";
        });
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < HttpEndpoints.MAX_CONCURRENT; i++) {
            held.add(http.sendAsync(request(endpoints, "/metrics"), HttpResponse.BodyHandlers.ofString()));
        }
        Awaiting.until(inside::get, n -> n == HttpEndpoints.MAX_CONCURRENT, Duration.ofSeconds(30));

        HttpResponse<String> over = get(endpoints, "/metrics");
        HttpResponse<String> live = get(endpoints, "/health/live");
        release.countDown();

        assertThat(over.statusCode()).isEqualTo(503);
        assertThat(over.body()).isEqualTo(HttpEndpoints.BUSY);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(held).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(inside.get()).as("the refused one never reached the handler").isEqualTo(HttpEndpoints.MAX_CONCURRENT);
    }

    @Test
    void aCheckThatHangsReadsDownWithoutDelayingTheOthersAndIsNotStartedTwice() throws Exception {
        CountDownLatch hang = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Readiness readiness = new Readiness(List.of(
                new HttpEndpoints.Check("postgres", () -> {
                    runs.incrementAndGet();
                    try {
                        return hang.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }),
                new HttpEndpoints.Check("sqs", () -> true)), (name, up) -> { });
        open.add(readiness);
        try {
            readiness.poll();
            readiness.poll();

            assertThat(readiness.current().checks()).containsExactly(Map.entry("postgres", false), Map.entry("sqs", true));
            assertThat(runs.get()).as("the hung check is not started again").isEqualTo(1);
        } finally {
            hang.countDown();
        }
        Awaiting.until(() -> {
            readiness.poll();
            return readiness.current().up();
        }, up -> up, Duration.ofSeconds(30));
    }

    @Test
    void itListensOnTheConfiguredAddressOnly() throws Exception {
        HttpEndpoints endpoints = serve(readiness(), () -> "");

        assertThat(endpoints.address().getAddress().isLoopbackAddress()).isTrue();
    }

    private static HttpRequest request(HttpEndpoints endpoints, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build();
    }

    private HttpResponse<String> get(HttpEndpoints endpoints, String path) throws Exception {
        return http.send(request(endpoints, path), HttpResponse.BodyHandlers.ofString());
    }
}
