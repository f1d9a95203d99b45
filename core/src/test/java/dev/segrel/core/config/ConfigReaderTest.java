package dev.segrel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

    @Test
    void defaultsApplyWhenKeysAreUnset() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of()));

        assertThat(reader.intValue("N", 7, 1, 10)).isEqualTo(7);
        assertThat(reader.seconds("S", Duration.ofSeconds(3), 0, 10)).isEqualTo(Duration.ofSeconds(3));
        assertThat(reader.bool("B", true)).isTrue();
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void everyProblemIsReportedOnItsOwnLine() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("N", "abc", "M", "99", "B", "maybe")));

        reader.intValue("N", 7, 1, 10);
        reader.intValue("M", 7, 1, 10);
        reader.bool("B", false);
        reader.required("R", "the queue to read");

        assertThatThrownBy(reader::throwIfInvalid).hasMessage(String.join("\n",
                "N must be an integer between 1 and 10, was 'abc'",
                "M must be between 1 and 10, was 99",
                "B must be true or false, was 'maybe'",
                "R is not set (the queue to read)"));
    }
}
