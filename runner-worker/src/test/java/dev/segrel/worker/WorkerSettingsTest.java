package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

    private static final Map<String, String> REQUIRED = Map.of(
            "POSTGRES_URL", "postgresql://segrel@db:5432/segrel",
            "SQS_QUEUE_URL", "http://127.0.0.1:9324/000000000000/tasks",
            "SQS_COMPLETED_QUEUE_URL", "http://127.0.0.1:9324/000000000000/done");

    @Test
    void theRequiredKeysAreEnoughAndEveryConfigIsRead() {
        WorkerSettings parsed = WorkerSettings.read(Settings.of(REQUIRED).with(Map.of(
                "SEGREL_CONCURRENCY", "4", "SEGREL_GRAPH_INDEX", "false", "NEO4J_MAX_POOL", "3",
                "SEGREL_POSTGRES_POOL_SIZE", "2", "SQS_WAIT_SECONDS", "1", "DRAGONFLY_URL", "redis://cache:6379")));

        assertThat(parsed.worker().concurrency()).isEqualTo(4);
        assertThat(parsed.graph().index()).isFalse();
        assertThat(parsed.graph().cache().enabled()).isTrue();
        assertThat(parsed.neo4j().maxConnectionPool()).isEqualTo(3);
        assertThat(parsed.postgres().poolSize()).isEqualTo(2);
        assertThat(parsed.sqs().waitTime()).hasSeconds(1);
        assertThat(parsed.sqs().requireQueueUrl()).endsWith("/tasks");
    }

    @Test
    void everyProblemOfEveryConfigIsInOneExceptionInReadingOrder() {
        Settings settings = Settings.of(Map.of(
                "SEGREL_CONCURRENCY", "lots",
                "SEGREL_INDEX_TTL_SECONDS", "0",
                "SEGREL_CACHE_TIMEOUT_MS", "soon",
                "NEO4J_URI", "http://neo4j:s3cret@graph:7474",
                "NEO4J_MAX_POOL", "0",
                "POSTGRES_URL", "mysql://u:hunter2@db/x",
                "SEGREL_POSTGRES_POOL_SIZE", "many",
                "SQS_WAIT_SECONDS", "99",
                "AWS_REGION", "Mars"));

        assertThatThrownBy(() -> WorkerSettings.read(settings))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "SEGREL_CONCURRENCY must be an integer between 1 and 1024, was 'lots'",
                            "SEGREL_INDEX_TTL_SECONDS must be between 1 and 604800, was 0",
                            "SEGREL_CACHE_TIMEOUT_MS must be a number, was 'soon'",
                            "NEO4J_URI must start with bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// or neo4j+ssc://,"
                                    + " was 'http://neo4j:***@graph:7474'",
                            "NEO4J_MAX_POOL must be a positive whole number, was '0'",
                            "POSTGRES_URL must start with postgresql://, postgres:// or jdbc:postgresql:// (scheme was 'mysql')",
                            "SEGREL_POSTGRES_POOL_SIZE must be an integer, was 'many'",
                            "AWS_REGION must be a region name such as us-east-1, was 'Mars'",
                            "SQS_WAIT_SECONDS must be a whole number of seconds in 0..20, was '99'",
                            "SQS_QUEUE_URL is not set: the worker needs the URL of its task queue",
                            "SQS_COMPLETED_QUEUE_URL is not set: the worker sends each job's completion message there");
                    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()))
                            .doesNotContain("s3cret").doesNotContain("hunter2");
                });
    }

    @Test
    void theEnvironmentsGraphsAreReadOverTheDefaultGraphsAndTheirProblemsReportedWithTheOthers() {
        WorkerSettings parsed = WorkerSettings.read(Settings.of(REQUIRED).with(Map.of(
                "NEO4J_USER", "reader", "PRODUCTION_NEO4J_URI", "neo4j+s://prod:7687")));

        assertThat(parsed.environments().names()).containsExactly("PRODUCTION");
        assertThat(parsed.environments().config("production").orElseThrow().user()).isEqualTo("reader");
        assertThat(parsed.environments().defaultGraph()).isEqualTo(parsed.neo4j());
        assertThatThrownBy(() -> WorkerSettings.read(Settings.of(Map.of(
                        "SEGREL_CONCURRENCY", "lots", "STAGING_NEO4J_URI", "http://neo4j:s3cret@staging:7474"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .contains("SEGREL_CONCURRENCY must be an integer between 1 and 1024, was 'lots'",
                                "STAGING_NEO4J_URI must start with bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://"
                                        + " or neo4j+ssc://, was 'http://neo4j:***@staging:7474'"))
                .message().doesNotContain("s3cret");
    }

    @Test
    void aMalformedQueueUrlIsNamedOnceAsMalformed() {
        assertThatThrownBy(() -> WorkerSettings.read(Settings.of(REQUIRED).with(Map.of("SQS_QUEUE_URL", "sqs/tasks"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("SQS_QUEUE_URL must be an http(s) URL with a host, was 'sqs/tasks'"));
    }
}
