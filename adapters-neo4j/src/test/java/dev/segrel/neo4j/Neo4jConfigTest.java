package dev.segrel.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Neo4jConfigTest {

    @Test
    void readingNothingGivesTheDefaultsAndNoProblem() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of()));

        assertThat(Neo4jConfig.read(reader)).isEqualTo(new Neo4jConfig(Neo4jConfig.DEFAULT_URI, Neo4jConfig.DEFAULT_USER,
                "", Neo4jConfig.DEFAULT_CONNECT_TIMEOUT, Neo4jConfig.DEFAULT_QUERY_TIMEOUT, Neo4jConfig.DEFAULT_MAX_POOL));
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void readingEveryKeyGivesItsValue() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(
                "NEO4J_URI", "bolt+ssc://graph.example:7688",
                "NEO4J_USER", "reader",
                "NEO4J_PASSWORD", "pw",
                "NEO4J_CONNECT_TIMEOUT_MS", "1500",
                "NEO4J_QUERY_TIMEOUT_MS", "9000000000",
                "NEO4J_MAX_POOL", "8")));

        assertThat(Neo4jConfig.read(reader)).isEqualTo(new Neo4jConfig("bolt+ssc://graph.example:7688", "reader", "pw",
                Duration.ofMillis(1500), Duration.ofMillis(9_000_000_000L), 8));
        assertThat(reader.problems()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NEO4J_URI                | http://neo4j:s3cret-pw@h | NEO4J_URI must start with bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// or neo4j+ssc://, was 'http://neo4j:***@h'",
        "NEO4J_URI                | bolt:///db               | NEO4J_URI must name a host, was 'bolt:///db'",
        "NEO4J_URI                | bolt://                  | NEO4J_URI is not a valid URI: 'bolt://'",
        "NEO4J_URI                | bolt://h h               | NEO4J_URI is not a valid URI: 'bolt://h h'",
        "NEO4J_CONNECT_TIMEOUT_MS | soon                     | NEO4J_CONNECT_TIMEOUT_MS must be a positive number of milliseconds, was 'soon'",
        "NEO4J_CONNECT_TIMEOUT_MS | -1                       | NEO4J_CONNECT_TIMEOUT_MS must be a positive number of milliseconds, was '-1'",
        "NEO4J_QUERY_TIMEOUT_MS   | 0                        | NEO4J_QUERY_TIMEOUT_MS must be a positive number of milliseconds, was '0'",
        "NEO4J_MAX_POOL           | 0                        | NEO4J_MAX_POOL must be a positive whole number, was '0'",
        "NEO4J_MAX_POOL           | 99999999999              | NEO4J_MAX_POOL must be a positive whole number, was '99999999999'",
        "NEO4J_MAX_POOL           | many                     | NEO4J_MAX_POOL must be a positive whole number, was 'many'",
    })
    void aMalformedValueIsOneProblemNamingItsKeyAndReadsAsTheDefault(String key, String value, String problem) {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(key, value, "NEO4J_PASSWORD", "s3cret-pw")));

        Neo4jConfig config = Neo4jConfig.read(reader);

        assertThat(reader.problems()).containsExactly(problem);
        assertThat(config).isEqualTo(Neo4jConfig.of(Neo4jConfig.DEFAULT_URI, Neo4jConfig.DEFAULT_USER, "s3cret-pw"));
    }

    @Test
    void onItsOwnItThrowsOneConfigExceptionOnOneLine() {
        assertThatThrownBy(() -> Neo4jConfig.fromSettings(Settings.of(Map.of("NEO4J_MAX_POOL", "0", "NEO4J_URI", "bolt:///db"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "NEO4J_URI must name a host, was 'bolt:///db'", "NEO4J_MAX_POOL must be a positive whole number, was '0'"))
                .hasMessage("invalid Neo4j configuration: NEO4J_URI must name a host, was 'bolt:///db'; "
                        + "NEO4J_MAX_POOL must be a positive whole number, was '0'");
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Neo4jConfig c = Neo4jConfig.fromSettings(Settings.of(Map.of()));

        assertThat(c).isEqualTo(new Neo4jConfig("bolt://localhost:7687", "neo4j", "", Duration.ofSeconds(5),
                Duration.ofSeconds(30), 50));
        assertThat(c.hasCredentials()).isFalse();
    }

    @Test
    void everyKeyIsRead() {
        Neo4jConfig c = Neo4jConfig.fromSettings(Settings.of(Map.of(
                "NEO4J_URI", "neo4j+s://graph.example:7687",
                "NEO4J_USER", "reader",
                "NEO4J_PASSWORD", " pw with spaces ",
                "NEO4J_CONNECT_TIMEOUT_MS", "1500",
                "NEO4J_QUERY_TIMEOUT_MS", "60000",
                "NEO4J_MAX_POOL", "8")));

        assertThat(c.uri()).isEqualTo("neo4j+s://graph.example:7687");
        assertThat(c.user()).isEqualTo("reader");
        assertThat(c.password()).isEqualTo(" pw with spaces ");
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.queryTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.maxConnectionPool()).isEqualTo(8);
        assertThat(c.hasCredentials()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bolt://h:7687", "bolt+s://h", "bolt+ssc://h:1", "neo4j://h", "neo4j+s://h", "neo4j+ssc://h",
            "BOLT://h"})
    void everyNeo4jSchemeIsAccepted(String uri) {
        assertThat(Neo4jConfig.fromSettings(Settings.of(Map.of("NEO4J_URI", uri))).uri()).isEqualTo(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h:7474", "h:7687", "jdbc:neo4j://h", "localhost"})
    void otherSchemesAreRejectedByName(String uri) {
        assertThatThrownBy(() -> Neo4jConfig.fromSettings(Settings.of(Map.of("NEO4J_URI", uri))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NEO4J_URI must start with bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// or neo4j+ssc://");
    }

    @Test
    void aUriWithoutHostIsRejected() {
        assertThatThrownBy(() -> Neo4jConfig.fromSettings(Settings.of(Map.of("NEO4J_URI", "bolt://"))))
                .hasMessageContaining("NEO4J_URI");
    }

    @Test
    void everyBadKeyIsReportedWithItsOwnMessage() {
        assertThatThrownBy(() -> Neo4jConfig.fromSettings(Settings.of(Map.of(
                        "NEO4J_URI", "http://x",
                        "NEO4J_PASSWORD", "hunter2-secret",
                        "NEO4J_CONNECT_TIMEOUT_MS", "soon",
                        "NEO4J_QUERY_TIMEOUT_MS", "0",
                        "NEO4J_MAX_POOL", "-1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NEO4J_URI must start with")
                .hasMessageContaining("NEO4J_CONNECT_TIMEOUT_MS must be a positive number of milliseconds, was 'soon'")
                .hasMessageContaining("NEO4J_QUERY_TIMEOUT_MS must be a positive number of milliseconds, was '0'")
                .hasMessageContaining("NEO4J_MAX_POOL must be a positive whole number, was '-1'")
                .message().doesNotContain("hunter2-secret");
    }

    @Test
    void thePasswordNeverShowsInToStringOrTheRedactedUri() {
        Neo4jConfig c = Neo4jConfig.of("bolt://admin:uri-secret@h:7687", "neo4j", "hunter2-secret");

        assertThat(c.toString()).doesNotContain("hunter2-secret").doesNotContain("uri-secret").contains("password=***");
        assertThat(c.redactedUri()).isEqualTo("bolt://admin:***@h:7687");
    }

    @Test
    void theRecordValidatesItsValues() {
        assertThatThrownBy(() -> new Neo4jConfig("bolt://h", "u", "", Duration.ZERO, Duration.ofSeconds(1), 1))
                .hasMessageContaining("connectTimeout must be positive");
        assertThatThrownBy(() -> new Neo4jConfig("bolt://h", "u", "", Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining("maxConnectionPool must be >= 1");
        assertThatThrownBy(() -> new Neo4jConfig("ftp://h", "u", "", Duration.ofSeconds(1), Duration.ofSeconds(1), 1))
                .hasMessageContaining("uri must start with");
    }
}
