package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.Span;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real worker (in-process Neo4j, PostgreSQL and SQS server, Dragonfly's protocol on 127.0.0.1 when
 * it listens) runs a small job with one task that fails and one poison message; then every metric the
 * dashboard and the alert rules query is in its scrape, and no segrel series carries an unbounded label.
 */
class MetricsCoverageTest {

    /** Labels that would make a series per job, segment or message. */
    private static final Set<String> UNBOUNDED = Set.of("job", "job_id", "segment", "segment_id", "task_id",
            "message_id", "manifestation", "manifestation_id", "owner", "worker_id");
    /** The labels segrel's series may carry, each with a bounded set of values. */
    private static final Set<String> BOUNDED = Set.of("reason", "environment", "cache", "result", "state", "source",
            "dependency", "le", "cause");
    /** What Prometheus itself adds to every target; the worker does not export it. */
    private static final Set<String> SYNTHESIZED = Set.of("up");

    private static final int SEGMENTS = 5;

    private static Postgres postgres;
    private static WorkerApp worker;
    private static Scrape scrape;

    @BeforeAll
    static void aWorkerRunsAJobWithAFailureAndAPoisonMessage() throws Exception {
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.reset();
        neo4j.load(ThreeTextCanon.of(SEGMENTS));
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2));
        postgres.migrator().migrate();
        QueueUrls queues = TestingSqs.createQueues("metrics");

        JobId job = JobId.random();
        postgres.jobs().createJob(ThreeTextCanon.job(job, SEGMENTS), Instant.now());
        JobId missing = JobId.random();
        postgres.jobs().createJob(new Jobs.NewJob(missing, "NOT-IN-THE-GRAPH",
                List.of(new NewTask("x0", new Span(0, 10)))), Instant.now());
        List<String> bodies = new ArrayList<>(ThreeTextCanon.taskBodies(job, SEGMENTS));
        bodies.add(TaskMessage.toSingleJson(new TaskRequest(missing, "NOT-IN-THE-GRAPH", "x0", new Span(0, 10))));
        bodies.add("this is not a task message");
        // one batch message naming an environment with a graph of its own, one naming an environment without
        bodies.add(batchJob("production"));
        bodies.add(batchJob("staging"));
        new SqsTaskQueue(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()), Duration.ofSeconds(30))
                .send(bodies);

        Settings settings = WorkerEndToEndTest.settings(queues, schema.jdbcUrl()).with(Map.of(
                // an environment of its own, for the per-environment series
                "PRODUCTION_NEO4J_URI", neo4j.boltUri(),
                "PRODUCTION_NEO4J_PASSWORD", neo4j.password(),
                // best effort: with nothing listening the cache falls back, and its metrics are still exported
                "DRAGONFLY_URL", Optional.ofNullable(System.getenv("SEGREL_TEST_REDIS_URL"))
                        .orElse("redis://127.0.0.1:6379/14")));
        worker = WorkerApp.start(settings);
        HttpClient http = HttpClient.newHttpClient();
        scrape = Awaiting.until(() -> Scrape.of(get(http, worker.httpPort())),
                s -> s.value("segrel_tasks_completed_total", "environment", "default") >= 2 * SEGMENTS
                        && s.value("segrel_tasks_completed_total", "environment", "PRODUCTION") >= SEGMENTS
                        && s.total("segrel_messages_dead_lettered_total", "reason", "task_failed") >= 1
                        && s.total("segrel_messages_dead_lettered_total", "reason", "poison") >= 1
                        && !Double.isNaN(s.value("segrel_backlog_tasks")),
                Duration.ofMinutes(1));
    }

    /** A job of the canon's root text whose segments travel as one batch message naming {@code environment}. */
    private static String batchJob(String environment) {
        JobId id = JobId.random();
        postgres.jobs().createJob(ThreeTextCanon.job(id, SEGMENTS), Instant.now());
        List<TaskRequest> requests = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            requests.add(new TaskRequest(id, ThreeTextCanon.ROOT, ThreeTextCanon.rootSegment(i), ThreeTextCanon.rootSpan(i)));
        }
        return TaskMessage.toBatchJson(requests, 1, SEGMENTS, environment, "PRODUCTION");
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String get(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() {
        Set<String> exported = scrape.samples().stream().map(Scrape.Sample::name).collect(Collectors.toSet());
        Map<String, String> expressions = MonitoringFiles.expressions();
        Set<String> queried = new TreeSet<>();

        assertThat(expressions).hasSizeGreaterThan(30);
        expressions.forEach((where, expr) -> {
            Set<String> names = PromQl.metricNames(expr);
            assertThat(names).as("%s reads a metric: %s", where, expr).isNotEmpty();
            for (String name : names) {
                if (!SYNTHESIZED.contains(name)) {
                    assertThat(exported).as("%s queries %s", where, name).contains(name);
                }
            }
            queried.addAll(names);
        });
        assertThat(queried).contains("segrel_task_processing_seconds_bucket", "segrel_cache_fallbacks_total",
                "segrel_lease_takeovers_total", "segrel_dependency_up", "up");
    }

    @Test
    void noSegrelSeriesCarriesALabelWhoseValuesAreUnbounded() {
        List<Scrape.Sample> segrel = scrape.samples().stream().filter(s -> s.name().startsWith("segrel_")).toList();

        assertThat(segrel).hasSizeGreaterThan(50);
        for (Scrape.Sample sample : segrel) {
            assertThat(sample.labels().keySet()).as(sample.name() + sample.labels()).doesNotContainAnyElementsOf(UNBOUNDED);
            assertThat(BOUNDED).as(sample.name() + sample.labels()).containsAll(sample.labels().keySet());
        }
        Set<String> reasons = Arrays.stream(Reason.values()).map(Reason::label).collect(Collectors.toSet());
        assertThat(segrel).filteredOn(s -> s.labels().containsKey("reason"))
                .as("samples with a reason label exist, else the check below checks nothing").isNotEmpty()
                .allSatisfy(s -> assertThat(reasons).contains(s.labels().get("reason")));
    }

    @Test
    void taskOutcomesAreCountedUnderTheirEnvironmentAndAnUnconfiguredOneUnderDefault() {
        // single-format messages and the staging batch (no STAGING_NEO4J_URI) count under default
        assertThat(scrape.value("segrel_tasks_completed_total", "environment", "default")).isEqualTo(2.0 * SEGMENTS);
        assertThat(scrape.value("segrel_tasks_completed_total", "environment", "PRODUCTION")).isEqualTo(SEGMENTS);
        assertThat(scrape.value("segrel_tasks_failed_total", "environment", "PRODUCTION", "reason", "manifestation_missing"))
                .isZero();
        assertThat(scrape.value("segrel_tasks_failed_total", "environment", "default", "reason", "manifestation_missing"))
                .isEqualTo(1.0);
        assertThat(scrape.samples()).noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.equalsIgnoreCase("staging")));
    }

    @Test
    void theFailureAndTheDeadLettersAreCountedByReason() {
        assertThat(scrape.total("segrel_tasks_failed_total", "reason", "manifestation_missing")).isEqualTo(1.0);
        assertThat(scrape.total("segrel_tasks_failed_total", "reason", "other")).isZero();
        assertThat(scrape.total("segrel_messages_dead_lettered_total", "reason", "task_failed")).isEqualTo(1.0);
        assertThat(scrape.total("segrel_messages_dead_lettered_total", "reason", "poison")).isEqualTo(1.0);
        assertThat(scrape.value("segrel_messages_poison_total")).isEqualTo(1.0);
    }

    @Test
    void theIndexTheEnvironmentsAndTheDependenciesAreReported() {
        double hits = scrape.value("segrel_cache_requests_total", "cache", "index", "environment", "default",
                "result", "hit");
        double misses = scrape.value("segrel_cache_requests_total", "cache", "index", "environment", "default",
                "result", "miss");

        assertThat(hits + misses).as("the index answered the job's searches").isPositive();
        assertThat(scrape.value("segrel_cache_requests_total", "cache", "dragonfly", "environment", "default",
                "result", "miss")).isGreaterThanOrEqualTo(0);
        // the production batch opened its environment's graph
        assertThat(scrape.value("segrel_graph_environment_open", "environment", "PRODUCTION")).isEqualTo(1.0);
        assertThat(scrape.value("segrel_dependency_up", "dependency", "postgres")).isEqualTo(1.0);
        assertThat(scrape.value("segrel_dependency_up", "dependency", "sqs")).isEqualTo(1.0);
        assertThat(scrape.value("segrel_dependency_up", "dependency", "neo4j")).isEqualTo(1.0);
        assertThat(scrape.value("segrel_queue_messages", "state", "visible")).isGreaterThanOrEqualTo(0);
        assertThat(scrape.value("segrel_outbox_pending")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void everySeriesTheRulesUnitTestFeedsIsAnExportedMetric() {
        String test = MonitoringFiles.ALERTS_TEST;
        assertThat(MonitoringFiles.root().resolve(test)).exists();
        Set<String> exported = scrape.samples().stream().map(Scrape.Sample::name).collect(Collectors.toSet());
        try {
            for (String line : java.nio.file.Files.readAllLines(MonitoringFiles.root().resolve(test))) {
                String trimmed = line.strip();
                if (trimmed.startsWith("- series:")) {
                    String series = trimmed.substring(trimmed.indexOf('\'') + 1, trimmed.lastIndexOf('\''));
                    assertThat(exported).as(line).contains(series.substring(0, series.indexOf('{')));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
