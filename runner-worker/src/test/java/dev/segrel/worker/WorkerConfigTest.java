package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.port.in.SweepStranded;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerConfigTest {

    private static WorkerConfig defaultsNamed(String workerId) {
        return new WorkerConfig(workerId, 16, new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofMinutes(5)),
                Duration.ofSeconds(20), 8080, Duration.ofSeconds(60), Duration.ofMinutes(15), Duration.ofSeconds(1));
    }

    @Test
    void theDefaultGraceAndWhatStoppingTakesAfterItFitAThirtySecondOrchestratorStop() {
        assertThat(WorkerConfig.DEFAULT_SHUTDOWN_GRACE.plus(Worker.STOP_BUDGET)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void readingNothingGivesTheDefaultsAndNoProblem() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of()));

        WorkerConfig config = WorkerConfig.read(reader);

        assertThat(config).isEqualTo(defaultsNamed(config.workerId()));
        assertThat(config.workerId()).matches("\\d+-.+-[0-9a-f]{8}");
        assertThat(config.relayLease()).as("derived from the publisher's call timeout").isEmpty();
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void theHttpServerBindsLoopbackByDefaultAndTheHostKeyExposesIt() {
        ConfigReader none = new ConfigReader(Settings.of(Map.of()));
        ConfigReader every = new ConfigReader(Settings.of(Map.of("SEGREL_HTTP_HOST", "0.0.0.0")));
        ConfigReader bad = new ConfigReader(Settings.of(Map.of("SEGREL_HTTP_HOST", "http://0.0.0.0/")));

        assertThat(WorkerConfig.read(none).httpHost()).isEqualTo("127.0.0.1");
        assertThat(WorkerConfig.read(every).httpHost()).isEqualTo("0.0.0.0");
        assertThat(every.problems()).isEmpty();
        WorkerConfig.read(bad);
        assertThat(bad.problems()).containsExactly(
                "SEGREL_HTTP_HOST must be an IP address (0.0.0.0 for every interface) or a host name");
    }

    @Test
    void everyProcessGetsItsOwnDefaultWorkerId() {
        assertThat(WorkerConfig.defaultWorkerId()).isNotEqualTo(WorkerConfig.defaultWorkerId());
    }

    @Test
    void readingEveryKeyGivesItsValue() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.ofEntries(
                Map.entry("SEGREL_WORKER_ID", "worker-7"),
                Map.entry("SEGREL_CONCURRENCY", "1024"),
                Map.entry("SEGREL_MAX_ATTEMPTS", "3"),
                Map.entry("SEGREL_RETRY_BASE_MS", "500"),
                Map.entry("SEGREL_RETRY_MAX_MS", "500"),
                Map.entry("SEGREL_SHUTDOWN_GRACE_SECONDS", "0"),
                Map.entry("SEGREL_HTTP_PORT", "-1"),
                Map.entry("SEGREL_SWEEP_INTERVAL_SECONDS", "5"),
                Map.entry("SEGREL_STRANDED_AFTER_SECONDS", "120"),
                Map.entry("SEGREL_RELAY_INTERVAL_MS", "10"))));

        assertThat(WorkerConfig.read(reader)).isEqualTo(new WorkerConfig("worker-7", 1024,
                new RetryPolicy(3, Duration.ofMillis(500), Duration.ofMillis(500)), Duration.ZERO, -1,
                Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMillis(10)));
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void theBytesOfResultsInMemoryDefaultToAQuarterOfTheHeapAndAreReadFromTheirKey() {
        WorkerConfig defaults = WorkerConfig.read(new ConfigReader(Settings.of(Map.of())));
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("SEGREL_MAX_RESULT_BYTES_IN_MEMORY", "1048576")));

        assertThat(defaults.maxResultBytesInMemory())
                .isEqualTo(Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4));
        assertThat(WorkerConfig.read(reader).maxResultBytesInMemory()).isEqualTo(1_048_576L);
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void theSweepersLimitsDefaultTo500TasksPerSweepAndMessagesOfUpTo500Tasks() {
        WorkerConfig config = WorkerConfig.read(new ConfigReader(Settings.of(Map.of())));

        assertThat(config.sweepLimits()).isEqualTo(new SweepStranded.Limits(Duration.ofMinutes(15), 500, 500));
    }

    @Test
    void theSweepersLimitsAreReadFromTheirKeys() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(
                "SEGREL_SWEEP_MAX_PER_RUN", "50",
                "SEGREL_SWEEP_TASKS_PER_MESSAGE", "1",
                "SEGREL_STRANDED_AFTER_SECONDS", "2")));

        assertThat(WorkerConfig.read(reader).sweepLimits())
                .isEqualTo(new SweepStranded.Limits(Duration.ofSeconds(2), 50, 1));
        assertThat(reader.problems()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SEGREL_CONCURRENCY            | lots    | SEGREL_CONCURRENCY must be an integer between 1 and 1024, was 'lots'",
        "SEGREL_CONCURRENCY            | 0       | SEGREL_CONCURRENCY must be between 1 and 1024, was 0",
        "SEGREL_MAX_ATTEMPTS           | 101     | SEGREL_MAX_ATTEMPTS must be between 1 and 100, was 101",
        "SEGREL_RETRY_BASE_MS          | 0       | SEGREL_RETRY_BASE_MS must be between 1 and 3600000, was 0",
        "SEGREL_RETRY_MAX_MS           | 2s      | SEGREL_RETRY_MAX_MS must be an integer between 1 and 43200000, was '2s'",
        "SEGREL_SHUTDOWN_GRACE_SECONDS | -1      | SEGREL_SHUTDOWN_GRACE_SECONDS must be between 0 and 3600, was -1",
        "SEGREL_HTTP_PORT              | 65536   | SEGREL_HTTP_PORT must be between -1 and 65535, was 65536",
        "SEGREL_SWEEP_INTERVAL_SECONDS | 0       | SEGREL_SWEEP_INTERVAL_SECONDS must be between 1 and 86400, was 0",
        "SEGREL_STRANDED_AFTER_SECONDS | 604801  | SEGREL_STRANDED_AFTER_SECONDS must be between 1 and 604800, was 604801",
        "SEGREL_RELAY_INTERVAL_MS      | 9       | SEGREL_RELAY_INTERVAL_MS must be between 10 and 3600000, was 9",
        "SEGREL_SWEEP_MAX_PER_RUN      | 0       | SEGREL_SWEEP_MAX_PER_RUN must be between 1 and 100000, was 0",
        "SEGREL_SWEEP_TASKS_PER_MESSAGE | many   | SEGREL_SWEEP_TASKS_PER_MESSAGE must be an integer between 1 and 100000, was 'many'",
        "SEGREL_MAX_RESULT_BYTES_IN_MEMORY | 1GB | SEGREL_MAX_RESULT_BYTES_IN_MEMORY must be a number of bytes, was '1GB'",
        "SEGREL_MAX_RESULT_BYTES_IN_MEMORY | 0   | SEGREL_MAX_RESULT_BYTES_IN_MEMORY must be a positive number of bytes, was 0",
        "SEGREL_RELAY_LEASE_MS         | 999     | SEGREL_RELAY_LEASE_MS must be between 1000 and 86400000, was 999",
    })
    void aMalformedValueIsOneProblemNamingItsKeyAndReadsAsTheDefault(String key, String value, String problem) {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(key, value, "SEGREL_WORKER_ID", "w")));

        WorkerConfig config = WorkerConfig.read(reader);

        assertThat(reader.problems()).containsExactly(problem);
        assertThat(config).isEqualTo(defaultsNamed("w"));
    }

    @Test
    void theRelayLeaseIsReadFromItsKey() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("SEGREL_RELAY_LEASE_MS", "16000")));

        assertThat(WorkerConfig.read(reader).relayLease()).contains(Duration.ofSeconds(16));
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void aRetryMaximumBelowTheBaseReadsAsTheBase() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("SEGREL_RETRY_BASE_MS", "3000", "SEGREL_RETRY_MAX_MS", "1000")));

        assertThat(WorkerConfig.read(reader).retry().backoffMax()).isEqualTo(Duration.ofSeconds(3));
        assertThat(reader.problems()).containsExactly("SEGREL_RETRY_MAX_MS must be >= SEGREL_RETRY_BASE_MS, was 1000 < 3000");
    }

    @Test
    void theRecordValidatesItsValues() {
        RetryPolicy retry = RetryPolicy.DEFAULT;
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new WorkerConfig(" ", 1, retry, s, 0, s, s, s)).hasMessage("workerId is blank");
        assertThatThrownBy(() -> new WorkerConfig("w", 0, retry, s, 0, s, s, s)).hasMessage("concurrency must be >= 1, was 0");
        assertThatThrownBy(() -> new WorkerConfig("w", 1, retry, s.negated(), 0, s, s, s))
                .hasMessageStartingWith("shutdownGrace must be >= 0");
        assertThatThrownBy(() -> new WorkerConfig("w", 1, retry, s, -2, s, s, s)).hasMessageStartingWith("httpPort must be");
        assertThatThrownBy(() -> new WorkerConfig("w", 1, retry, s, 0, Duration.ZERO, s, s))
                .hasMessageStartingWith("sweepInterval must be positive");
        assertThatThrownBy(() -> new WorkerConfig("w", 1, retry, s, 0, s, Duration.ZERO, s))
                .hasMessageStartingWith("strandedAfter must be positive");
        assertThatThrownBy(() -> new WorkerConfig("w", 1, retry, s, 0, s, s, Duration.ZERO))
                .hasMessageStartingWith("relayInterval must be positive");
    }
}
