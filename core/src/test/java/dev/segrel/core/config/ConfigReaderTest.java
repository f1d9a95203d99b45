package dev.segrel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

    private static final ConfigReader.Check NO_X = v -> v.contains("x") ? Optional.of("must not contain x, was '" + v + "'")
            : Optional.empty();

    private static ConfigReader reader(Map<String, String> values) {
        return new ConfigReader(Settings.of(values));
    }

    @Test
    void defaultsApplyWhenKeysAreUnset() {
        ConfigReader reader = reader(Map.of());

        assertThat(reader.intValue("N", 7, 1, 10)).isEqualTo(7);
        assertThat(reader.intValue("N", 7, 1, 10, "a small number")).isEqualTo(7);
        assertThat(reader.intValue("N", 7, 1, 10, "a number", "small")).isEqualTo(7);
        assertThat(reader.longValue("L", 8L, 1, 10, "a small number")).isEqualTo(8L);
        assertThat(reader.longValue("L", 8L, 1, 10, "a number", "small")).isEqualTo(8L);
        assertThat(reader.seconds("S", Duration.ofSeconds(3), 0, 10)).isEqualTo(Duration.ofSeconds(3));
        assertThat(reader.millis("M", Duration.ofMillis(4), 0, 10)).isEqualTo(Duration.ofMillis(4));
        assertThat(reader.bool("B", true)).isTrue();
        assertThat(reader.string("T", "d")).isEqualTo("d");
        assertThat(reader.string("T", "d", NO_X)).isEqualTo("d");
        assertThat(reader.optional("T", NO_X)).isEmpty();
        assertThat(reader.verbatim("P", "")).isEmpty();
        assertThat(reader.problems()).isEmpty();
        reader.throwIfInvalid();
        reader.throwIfInvalid("heading: ");
    }

    @Test
    void everyReaderReadsItsKey() {
        ConfigReader reader = reader(Map.of("N", "9", "L", "9000000000", "S", "5", "M", "6", "B", "off", "T", "fine",
                "P", " spaced "));

        assertThat(reader.intValue("N", 7, 1, 10)).isEqualTo(9);
        assertThat(reader.intValue("N", 7, 1, 10, "a small number")).isEqualTo(9);
        assertThat(reader.intValue("N", 7, 1, 10, "a number", "small")).isEqualTo(9);
        assertThat(reader.longValue("L", 8L, 1, Long.MAX_VALUE, "a number")).isEqualTo(9_000_000_000L);
        assertThat(reader.longValue("L", 8L, 1, Long.MAX_VALUE, "a number", "positive")).isEqualTo(9_000_000_000L);
        assertThat(reader.seconds("S", Duration.ofSeconds(3), 0, 10)).isEqualTo(Duration.ofSeconds(5));
        assertThat(reader.millis("M", Duration.ofMillis(4), 0, 10)).isEqualTo(Duration.ofMillis(6));
        assertThat(reader.bool("B", true)).isFalse();
        assertThat(reader.string("T", "d", NO_X)).isEqualTo("fine");
        assertThat(reader.optional("T", NO_X)).contains("fine");
        assertThat(reader.string("P", "d")).isEqualTo("spaced");
        assertThat(reader.verbatim("P", "")).isEqualTo(" spaced ");
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void everyProblemIsReportedOnItsOwnLine() {
        ConfigReader reader = reader(Map.of("N", "abc", "M", "99", "B", "maybe"));

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

    @Test
    void aBadValueIsRecordedInTheCallersWordsAndReadAsTheDefault() {
        ConfigReader reader = reader(Map.of("A", "soon", "B", "0", "C", "99999999999", "D", "-05", "E", "x1", "F", "1x"));

        assertThat(reader.intValue("A", 7, 1, 10, "a positive number")).isEqualTo(7);
        assertThat(reader.intValue("B", 7, 1, 10, "a positive number")).isEqualTo(7);
        assertThat(reader.intValue("C", 7, 1, 10, "an integer", "1..10")).isEqualTo(7);
        assertThat(reader.longValue("D", 8L, 1, 10, "a number", "a positive number")).isEqualTo(8L);
        assertThat(reader.string("E", "d", NO_X)).isEqualTo("d");
        assertThat(reader.optional("F", NO_X)).isEmpty();

        assertThat(reader.problems()).containsExactly(
                "A must be a positive number, was 'soon'",
                "B must be a positive number, was '0'",
                "C must be an integer, was '99999999999'",
                "D must be a positive number, was -5",
                "E must not contain x, was 'x1'",
                "F must not contain x, was '1x'");
    }

    @Test
    void theExceptionCarriesTheProblemsAsAListAndIsAnIllegalArgumentException() {
        ConfigReader reader = reader(Map.of("N", "abc"));
        reader.intValue("N", 7, 1, 10);
        reader.problem("X is wrong");

        assertThatThrownBy(reader::throwIfInvalid)
                .isInstanceOf(IllegalArgumentException.class)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("N must be an integer between 1 and 10, was 'abc'", "X is wrong"))
                .hasMessage("N must be an integer between 1 and 10, was 'abc'\nX is wrong");
        assertThatThrownBy(() -> reader.throwIfInvalid("invalid things: "))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessage("invalid things: N must be an integer between 1 and 10, was 'abc'; X is wrong");
    }

    @Test
    void keysAreEveryNameSetBlankOnesIncluded() {
        assertThat(reader(Map.of("A_NEO4J_URI", "bolt://a", "B", " ")).keys()).containsExactlyInAnyOrder("A_NEO4J_URI", "B");
    }

    @Test
    void anExceptionWithoutProblemsIsRefused() {
        assertThatThrownBy(() -> new ConfigException(List.of())).hasMessage("problems is empty");
    }
}
