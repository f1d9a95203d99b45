package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.dragonfly.DragonflyConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphConfigTest {

    private static final DragonflyConfig NO_CACHE = DragonflyConfig.read(new ConfigReader(Settings.of(Map.of())));

    @Test
    void readingNothingGivesTheDefaultsAndNoProblem() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of()));

        assertThat(GraphConfig.read(reader)).isEqualTo(new GraphConfig(true, Duration.ofMinutes(10), NO_CACHE));
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void readingEveryKeyGivesItsValue() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(
                "SEGREL_GRAPH_INDEX", "false",
                "SEGREL_INDEX_TTL_SECONDS", "604800",
                "DRAGONFLY_URL", "redis://cache:6379/1")));

        assertThat(GraphConfig.read(reader)).isEqualTo(new GraphConfig(false, Duration.ofDays(7),
                DragonflyConfig.of("redis://cache:6379/1")));
        assertThat(reader.problems()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SEGREL_GRAPH_INDEX       | sometimes | SEGREL_GRAPH_INDEX must be true or false, was 'sometimes'",
        "SEGREL_INDEX_TTL_SECONDS | 0         | SEGREL_INDEX_TTL_SECONDS must be between 1 and 604800, was 0",
        "SEGREL_INDEX_TTL_SECONDS | 10m       | SEGREL_INDEX_TTL_SECONDS must be an integer between 1 and 604800, was '10m'",
        "SEGREL_CACHE_TTL_SECONDS | 0         | SEGREL_CACHE_TTL_SECONDS must be a positive number, was 0",
    })
    void aMalformedValueIsOneProblemNamingItsKeyAndReadsAsTheDefault(String key, String value, String problem) {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(key, value)));

        GraphConfig config = GraphConfig.read(reader);

        assertThat(reader.problems()).containsExactly(problem);
        assertThat(config).isEqualTo(new GraphConfig(true, Duration.ofMinutes(10), NO_CACHE));
    }

    @Test
    void theRecordValidatesItsValues() {
        assertThatThrownBy(() -> new GraphConfig(true, Duration.ZERO, NO_CACHE)).hasMessageStartingWith("indexTtl must be positive");
        assertThatThrownBy(() -> new GraphConfig(true, Duration.ofSeconds(1), null)).hasMessage("cache is null");
    }
}
