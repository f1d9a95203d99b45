package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqsConfigTest {

    private static final SqsConfig DEFAULTS = new SqsConfig(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), SqsConfig.DEFAULT_REGION, Optional.empty(), Optional.empty(),
            Duration.ofSeconds(SqsConfig.DEFAULT_WAIT_SECONDS), Duration.ofSeconds(SqsConfig.DEFAULT_VISIBILITY_SECONDS));

    @Test
    void readingNothingGivesTheDefaultsAndNoProblem() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of()));

        assertThat(SqsConfig.read(reader)).isEqualTo(DEFAULTS);
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void readingEveryKeyGivesItsValue() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(
                "SQS_QUEUE_URL", "http://127.0.0.1:9324/000000000000/tasks",
                "SQS_COMPLETED_QUEUE_URL", "HTTPS://sqs.example/1/done",
                "SQS_DLQ_URL", "http://127.0.0.1:9324/000000000000/dlq",
                "SQS_ENDPOINT", "https://sqs.example:4566",
                "AWS_REGION", "ap-southeast-2",
                "AWS_ACCESS_KEY_ID", "AKIAOTHER",
                "AWS_SECRET_ACCESS_KEY", "other-secret",
                "SQS_WAIT_SECONDS", "0",
                "SQS_VISIBILITY_SECONDS", "43200")));

        assertThat(SqsConfig.read(reader)).isEqualTo(new SqsConfig(
                Optional.of("http://127.0.0.1:9324/000000000000/tasks"),
                Optional.of("HTTPS://sqs.example/1/done"),
                Optional.of("http://127.0.0.1:9324/000000000000/dlq"),
                Optional.of(URI.create("https://sqs.example:4566")),
                "ap-southeast-2",
                Optional.of("AKIAOTHER"),
                Optional.of("other-secret"),
                Duration.ZERO,
                Duration.ofHours(12)));
        assertThat(reader.problems()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SQS_QUEUE_URL           | sqs/tasks          | SQS_QUEUE_URL must be an http(s) URL with a host, was 'sqs/tasks'",
        "SQS_COMPLETED_QUEUE_URL | ftp://host/q       | SQS_COMPLETED_QUEUE_URL must be an http(s) URL with a host, was 'ftp://host/q'",
        "SQS_DLQ_URL             | http://bad host/q  | SQS_DLQ_URL is not a URL (Illegal character in authority), was 'http://bad host/q'",
        "SQS_ENDPOINT            | localhost:9324     | SQS_ENDPOINT must be an http(s) URL with a host, was 'localhost:9324'",
        "AWS_REGION              | Mars               | AWS_REGION must be a region name such as us-east-1, was 'Mars'",
        "AWS_ACCESS_KEY_ID       | AKIAEXAMPLE        | AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither to use the default credential chain",
        "AWS_SECRET_ACCESS_KEY   | wJalrXUtnFEMIsecret | AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or neither to use the default credential chain",
        "SQS_WAIT_SECONDS        | 21                 | SQS_WAIT_SECONDS must be a whole number of seconds in 0..20, was '21'",
        "SQS_WAIT_SECONDS        | -1                 | SQS_WAIT_SECONDS must be a whole number of seconds in 0..20, was '-1'",
        "SQS_VISIBILITY_SECONDS  | soon               | SQS_VISIBILITY_SECONDS must be a whole number of seconds in 1..43200, was 'soon'",
        "SQS_VISIBILITY_SECONDS  | 0                  | SQS_VISIBILITY_SECONDS must be a whole number of seconds in 1..43200, was '0'",
    })
    void aMalformedValueIsOneProblemNamingItsKeyAndReadsAsTheDefault(String key, String value, String problem) {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(key, value)));

        SqsConfig config = SqsConfig.read(reader);

        assertThat(reader.problems()).containsExactly(problem);
        assertThat(problem).doesNotContain("wJalrXUtnFEMIsecret");
        assertThat(config).isEqualTo(DEFAULTS);
    }

    @Test
    void onItsOwnItThrowsOneConfigExceptionOnOneLine() {
        assertThatThrownBy(() -> SqsConfig.fromSettings(Settings.of(Map.of("SQS_WAIT_SECONDS", "21", "AWS_REGION", "Mars"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessage("invalid SQS configuration: AWS_REGION must be a region name such as us-east-1, was 'Mars'; "
                        + "SQS_WAIT_SECONDS must be a whole number of seconds in 0..20, was '21'");
    }

    @Test
    void defaults() {
        SqsConfig config = SqsConfig.fromSettings(Settings.of(Map.of()));

        assertThat(config).isEqualTo(new SqsConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "us-east-1", Optional.empty(), Optional.empty(),
                Duration.ofSeconds(20), Duration.ofSeconds(60)));
        assertThatThrownBy(config::requireQueueUrl)
                .isInstanceOf(dev.segrel.core.config.ConfigException.class)
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
