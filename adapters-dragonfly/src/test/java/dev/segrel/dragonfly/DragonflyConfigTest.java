package dev.segrel.dragonfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DragonflyConfigTest {

    private static final DragonflyConfig DEFAULTS = new DragonflyConfig(Optional.empty(), DragonflyConfig.DEFAULT_TIMEOUT,
            DragonflyConfig.DEFAULT_SLICE_TIMEOUT, DragonflyConfig.DEFAULT_CONNECT_TIMEOUT, DragonflyConfig.DEFAULT_TTL);

    @Test
    void readingNothingGivesTheDefaultsAndNoProblem() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of()));

        assertThat(DragonflyConfig.read(reader)).isEqualTo(DEFAULTS);
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void readingEveryKeyGivesItsValue() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(
                "DRAGONFLY_URL", "redis://127.0.0.1:6379",
                "SEGREL_CACHE_TIMEOUT_MS", "1",
                "SEGREL_CACHE_SLICE_TIMEOUT_MS", "5000",
                "SEGREL_CACHE_CONNECT_TIMEOUT_MS", "9000000000",
                "SEGREL_CACHE_TTL_SECONDS", "86400")));

        assertThat(DragonflyConfig.read(reader)).isEqualTo(new DragonflyConfig(Optional.of("redis://127.0.0.1:6379"),
                Duration.ofMillis(1), Duration.ofSeconds(5), Duration.ofMillis(9_000_000_000L), Duration.ofDays(1)));
        assertThat(reader.problems()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DRAGONFLY_URL                   | http://u:s3cret@host:1   | DRAGONFLY_URL must start with redis:// or rediss://, was 'http://u:***@host:1'",
        "DRAGONFLY_URL                   | redis:///0               | DRAGONFLY_URL has no host: 'redis:///0'",
        "DRAGONFLY_URL                   | redis://u:s3cret@h:1/db  | DRAGONFLY_URL database must be a number, was 'db'",
        "DRAGONFLY_URL                   | redis://u:s3cret@h h     | DRAGONFLY_URL is not a URL: 'redis://u:***@h h'",
        "SEGREL_CACHE_TIMEOUT_MS         | soon                     | SEGREL_CACHE_TIMEOUT_MS must be a number, was 'soon'",
        "SEGREL_CACHE_SLICE_TIMEOUT_MS   | 0                        | SEGREL_CACHE_SLICE_TIMEOUT_MS must be a positive number, was 0",
        "SEGREL_CACHE_CONNECT_TIMEOUT_MS | -05                      | SEGREL_CACHE_CONNECT_TIMEOUT_MS must be a positive number, was -5",
        "SEGREL_CACHE_TTL_SECONDS        | 1h                       | SEGREL_CACHE_TTL_SECONDS must be a number, was '1h'",
    })
    void aMalformedValueIsOneProblemNamingItsKeyAndReadsAsTheDefault(String key, String value, String problem) {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(key, value)));

        DragonflyConfig config = DragonflyConfig.read(reader);

        assertThat(reader.problems()).containsExactly(problem);
        assertThat(problem).doesNotContain("s3cret");
        assertThat(config).isEqualTo(DEFAULTS);
    }

    @Test
    void onItsOwnItThrowsOneConfigExceptionOnOneLine() {
        assertThatThrownBy(() -> DragonflyConfig.fromSettings(Settings.of(Map.of(
                        "SEGREL_CACHE_TIMEOUT_MS", "soon", "SEGREL_CACHE_TTL_SECONDS", "0"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessage("SEGREL_CACHE_TIMEOUT_MS must be a number, was 'soon'; "
                        + "SEGREL_CACHE_TTL_SECONDS must be a positive number, was 0");
    }

    @Test
    void withoutAUrlTheCacheIsDisabledAndTheDefaultsApply() {
        DragonflyConfig c = DragonflyConfig.fromSettings(Settings.of(Map.of()));

        assertThat(c.enabled()).isFalse();
        assertThat(c.url()).isEmpty();
        assertThat(c.timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.sliceTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.ttl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everyKeyIsRead() {
        DragonflyConfig c = DragonflyConfig.fromSettings(Settings.of(Map.of(
                "DRAGONFLY_URL", "rediss://user:s3cret@cache.example:6380/2",
                "SEGREL_CACHE_TIMEOUT_MS", "20",
                "SEGREL_CACHE_SLICE_TIMEOUT_MS", "700",
                "SEGREL_CACHE_CONNECT_TIMEOUT_MS", "300",
                "SEGREL_CACHE_TTL_SECONDS", "60")));

        assertThat(c.url()).contains("rediss://user:s3cret@cache.example:6380/2");
        assertThat(c.timeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.sliceTimeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.toString()).doesNotContain("s3cret").contains("user:***@cache.example");
    }

    @Test
    void badValuesAreReportedTogetherWithoutThePassword() {
        assertThatThrownBy(() -> DragonflyConfig.fromSettings(Settings.of(Map.of(
                "DRAGONFLY_URL", "http://u:s3cret@host:1",
                "SEGREL_CACHE_TIMEOUT_MS", "soon",
                "SEGREL_CACHE_TTL_SECONDS", "0"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DRAGONFLY_URL must start with redis://")
                .hasMessageContaining("SEGREL_CACHE_TIMEOUT_MS must be a number")
                .hasMessageContaining("SEGREL_CACHE_TTL_SECONDS must be a positive number")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> DragonflyConfig.of("redis://host:1/cache"))
                .hasMessageContaining("database must be a number");
        assertThat(new DragonflyConfig(Optional.empty(), Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1),
                Duration.ofSeconds(1))
                .redactedUrl()).isEqualTo("(none)");
    }

    @Test
    void keysCarryTheVersionAndEscapeIdsSoPatternsMatchOneManifestationOnly() {
        assertThat(CacheKeys.DEFAULT.slice("M1")).isEqualTo("segrel:v1:slice:M1");
        assertThat(CacheKeys.DEFAULT.slice("a:b*[c]")).isEqualTo("segrel:v1:slice:a%3Ab%2A%5Bc%5D");
        assertThat(CacheKeys.DEFAULT.patternsFor("a:b")).allSatisfy(p -> assertThat(p).startsWith("segrel:v1:")
                .contains(":a%3Ab:"));
    }
}
