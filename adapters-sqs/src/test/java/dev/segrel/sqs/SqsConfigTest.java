package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqsConfigTest {

    @Test
    void defaults() {
        SqsConfig config = SqsConfig.fromSettings(Settings.of(Map.of()));

        assertThat(config).isEqualTo(new SqsConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "us-east-1", Optional.empty(), Optional.empty(),
                Duration.ofSeconds(20), Duration.ofSeconds(60)));
        assertThatThrownBy(config::requireQueueUrl)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("SQS_QUEUE_URL is not set");
    }

    @Test
    void everyKey() {
        SqsConfig config = SqsConfig.fromSettings(Settings.of(Map.of(
                "SQS_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/tasks",
                "SQS_COMPLETED_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/done.fifo",
                "SQS_DLQ_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/tasks-dlq",
                "SQS_ENDPOINT", "http://127.0.0.1:9324",
                "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIsecret",
                "SQS_WAIT_SECONDS", "5",
                "SQS_VISIBILITY_SECONDS", "300")));

        assertThat(config).isEqualTo(new SqsConfig(
                Optional.of("https://sqs.eu-west-1.amazonaws.com/123456789012/tasks"),
                Optional.of("https://sqs.eu-west-1.amazonaws.com/123456789012/done.fifo"),
                Optional.of("https://sqs.eu-west-1.amazonaws.com/123456789012/tasks-dlq"),
                Optional.of(URI.create("http://127.0.0.1:9324")),
                "eu-west-1",
                Optional.of("AKIAEXAMPLE"),
                Optional.of("wJalrXUtnFEMIsecret"),
                Duration.ofSeconds(5),
                Duration.ofSeconds(300)));
        assertThat(config.requireQueueUrl()).endsWith("/tasks");
    }

    @Test
    void theSecretNeverAppearsInToString() {
        SqsConfig config = SqsConfig.fromSettings(Settings.of(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIsecret")));

        assertThat(config.toString()).doesNotContain("wJalrXUtnFEMIsecret").doesNotContain("AKIAEXAMPLE").contains("AKIA***");
    }

    @Test
    void everyBadValueGetsItsOwnClearMessage() {
        assertThatThrownBy(() -> SqsConfig.fromSettings(Settings.of(Map.of(
                        "SQS_QUEUE_URL", "sqs/tasks",
                        "SQS_COMPLETED_QUEUE_URL", "ftp://host/q",
                        "SQS_DLQ_URL", "http://bad host/q",
                        "SQS_ENDPOINT", "localhost:9324",
                        "AWS_REGION", "Mars",
                        "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                        "SQS_WAIT_SECONDS", "21",
                        "SQS_VISIBILITY_SECONDS", "soon"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid SQS configuration: ")
                .hasMessageContaining("SQS_QUEUE_URL must be an http(s) URL with a host, was 'sqs/tasks'")
                .hasMessageContaining("SQS_COMPLETED_QUEUE_URL must be an http(s) URL with a host, was 'ftp://host/q'")
                .hasMessageContaining("SQS_DLQ_URL is not a URL")
                .hasMessageContaining("SQS_ENDPOINT must be an http(s) URL with a host, was 'localhost:9324'")
                .hasMessageContaining("AWS_REGION must be a region name such as us-east-1, was 'Mars'")
                .hasMessageContaining("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
                .hasMessageContaining("SQS_WAIT_SECONDS must be a whole number of seconds in 0..20, was '21'")
                .hasMessageContaining("SQS_VISIBILITY_SECONDS must be a whole number of seconds in 1..43200, was 'soon'");
    }

    @Test
    void aSecretWithoutKeyIdIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> SqsConfig.fromSettings(Settings.of(Map.of("AWS_SECRET_ACCESS_KEY", "topsecret"))))
                .hasMessageContaining("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
    }

    @Test
    void boundsOfTheTimingKeysAreAccepted() {
        SqsConfig low = SqsConfig.fromSettings(Settings.of(Map.of("SQS_WAIT_SECONDS", "0", "SQS_VISIBILITY_SECONDS", "1")));
        SqsConfig high = SqsConfig.fromSettings(Settings.of(Map.of("SQS_WAIT_SECONDS", "20", "SQS_VISIBILITY_SECONDS", "43200")));

        assertThat(low.waitTime()).isZero();
        assertThat(low.visibilityTimeout()).hasSeconds(1);
        assertThat(high.waitTime()).hasSeconds(20);
        assertThat(high.visibilityTimeout()).hasHours(12);
    }
}
