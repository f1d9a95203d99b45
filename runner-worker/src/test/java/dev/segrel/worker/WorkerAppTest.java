package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.Settings;
import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The composition root with the real module list (airlift's TestServer idea). */
class WorkerAppTest {

    @Test
    void everyBadSettingIsReportedOnItsOwnLineWithoutSecrets() {
        Settings settings = Settings.of(Map.of(
                "NEO4J_URI", "http://neo4j:s3cret@graph:7474",
                "POSTGRES_URL", "mysql://u:hunter2@db/x",
                "SEGREL_CONCURRENCY", "lots",
                "SQS_WAIT_SECONDS", "99"));

        assertThatThrownBy(() -> WorkerApp.start(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    String[] lines = e.getMessage().split("\n");
                    assertThat(lines).hasSizeGreaterThanOrEqualTo(6);
                    assertThat(e.getMessage())
                            .contains("SEGREL_CONCURRENCY")
                            .contains("NEO4J_URI")
                            .contains("POSTGRES_URL")
                            .contains("SQS_WAIT_SECONDS")
                            .contains("SQS_QUEUE_URL is not set")
                            .contains("SQS_COMPLETED_QUEUE_URL is not set")
                            .doesNotContain("s3cret")
                            .doesNotContain("hunter2");
                });
    }

    @Test
    void workerMainExitsTwoAndPrintsOneLinePerProblem() {
        Exit exit = runMain(Settings.of(Map.of("SEGREL_CONCURRENCY", "0")));

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.err().lines())
                .allSatisfy(line -> assertThat(line).startsWith("segrel worker: "))
                .anySatisfy(line -> assertThat(line).contains("SEGREL_CONCURRENCY must be between 1 and 1024, was 0"))
                .anySatisfy(line -> assertThat(line).contains("POSTGRES_URL"));
    }

    @Test
    void anUnreachableDatabaseExitsFourNamingItWithoutThePassword() {
        QueueUrls queues = TestingSqs.createQueues("app-down");
        Settings settings = WorkerEndToEndTest.settings(queues, "postgresql://segrel:topsecret@127.0.0.1:1/segrel");
        Exit exit = runMain(settings);

        assertThat(exit.code()).isEqualTo(4);
        assertThat(exit.err()).contains("127.0.0.1:1").doesNotContain("topsecret");
    }

    @Test
    void aTakenHttpPortExitsFourWithOneLineNamingThePort() throws Exception {
        QueueUrls queues = TestingSqs.createQueues("app-port-taken");
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        try (ServerSocket taken = new ServerSocket(0)) {
            Settings settings = WorkerEndToEndTest.settings(queues, schema.jdbcUrl())
                    .with(Map.of("SEGREL_HTTP_PORT", String.valueOf(taken.getLocalPort())));
            Exit exit = runMain(settings);

            assertThat(exit.code()).isEqualTo(4);
            assertThat(exit.err().lines()).singleElement().asString()
                    .startsWith("segrel worker: cannot listen on SEGREL_HTTP_PORT " + taken.getLocalPort());
        }
    }

    @Test
    void aRelayLeaseNotLongerThanTheCompletionCallTimeoutExitsTwoNamingItsKey() {
        QueueUrls queues = TestingSqs.createQueues("app-short-lease");
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        Settings settings = WorkerEndToEndTest.settings(queues, schema.jdbcUrl())
                .with(Map.of("SEGREL_RELAY_LEASE_MS", "15000"));
        Exit exit = runMain(settings);

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.err().lines()).singleElement().asString()
                .isEqualTo("segrel worker: SEGREL_RELAY_LEASE_MS must be longer than the completion publisher's call "
                        + "timeout (15000 ms), was 15000");
    }

    @Test
    void healthReadinessAndMetricsAreServed() throws Exception {
        QueueUrls queues = TestingSqs.createQueues("app-http");
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        WorkerApp app = WorkerApp.start(WorkerEndToEndTest.settings(queues, schema.jdbcUrl()));
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> live = get(http, app.httpPort(), "/health/live");
            HttpResponse<String> ready = get(http, app.httpPort(), "/health/ready");
            HttpResponse<String> metrics = get(http, app.httpPort(), "/metrics");

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"neo4j\":\"UP\"", "\"postgres\":\"UP\"", "\"sqs\":\"UP\"");
            assertThat(metrics.body()).contains(
                    "segrel_messages_received_total",
                    "segrel_tasks_claimed_total",
                    "segrel_tasks_completed_total",
                    "segrel_tasks_retried_total",
                    "segrel_tasks_failed_total",
                    "segrel_messages_dead_lettered_total",
                    "segrel_tasks_in_flight",
                    "segrel_task_processing_seconds_bucket",
                    "segrel_queue_lag_seconds");
            assertThat(schema.queryLong("SELECT count(*) FROM segrel_schema_history WHERE success")).isPositive();
        } finally {
            assertThat(app.stop(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void readinessChecksTheGraphOfEveryConfiguredEnvironmentAndTheMetricsNameThem() throws Exception {
        QueueUrls queues = TestingSqs.createQueues("app-environments");
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        TestingNeo4j neo4j = TestingNeo4j.get();
        Settings settings = WorkerEndToEndTest.settings(queues, schema.jdbcUrl()).with(Map.of(
                "PRODUCTION_NEO4J_URI", neo4j.boltUri(),
                "PRODUCTION_NEO4J_PASSWORD", neo4j.password(),
                "STAGING_NEO4J_URI", "bolt://127.0.0.1:" + LoopbackPorts.free(),
                "STAGING_NEO4J_PASSWORD", "staging-secret"));
        WorkerApp app = WorkerApp.start(settings);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String before = get(http, app.httpPort(), "/metrics").body();
            HttpResponse<String> ready = get(http, app.httpPort(), "/health/ready");
            String after = get(http, app.httpPort(), "/metrics").body();

            // the readiness poll, not a request, opens every environment's graph: the first poll ran at start
            assertThat(before).contains("segrel_graph_environment_open{environment=\"PRODUCTION\"} 1.0",
                    "segrel_graph_environment_unconfigured_total 0.0");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"neo4j\":\"UP\"", "\"neo4j:PRODUCTION\":\"UP\"",
                    "\"neo4j:STAGING\":\"DOWN\"", "\"postgres\":\"UP\"").doesNotContain("staging-secret", "127.0.0.1");
            assertThat(ready.body().indexOf("neo4j:PRODUCTION")).isGreaterThan(ready.body().indexOf("\"neo4j\""))
                    .isLessThan(ready.body().indexOf("neo4j:STAGING"));
            assertThat(after).contains("segrel_graph_environment_open{environment=\"PRODUCTION\"} 1.0");
        } finally {
            assertThat(app.stop(Duration.ofSeconds(5))).isTrue();
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What {@link WorkerMain#run} returned and printed on stderr. */
    private record Exit(int code, String err) { }

    private static Exit runMain(Settings settings) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = WorkerMain.run(settings, () -> { });
            return new Exit(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
