package dev.segrel.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Neo4jEnvironmentsTest {

    private static Neo4jEnvironments read(Map<String, String> values) {
        return Neo4jEnvironments.fromSettings(Settings.of(values));
    }

    @Test
    void withoutEnvironmentKeysThereIsOnlyTheDefaultGraph() {
        Neo4jEnvironments environments = read(Map.of("NEO4J_URI", "bolt://dev:7687"));

        assertThat(environments.names()).isEmpty();
        assertThat(environments.defaultGraph().uri()).isEqualTo("bolt://dev:7687");
        assertThat(environments.config("PRODUCTION")).isEmpty();
        assertThat(environments.config(null)).isEmpty();
    }

    @Test
    void everyEnvironmentUriKeyGivesAnEnvironmentSortedByName() {
        Neo4jEnvironments environments = read(Map.of(
                "PRODUCTION_NEO4J_URI", "neo4j+s://prod.example:7687",
                "DEVELOPMENT_NEO4J_URI", "bolt://dev.example:7687",
                "STAGING_2_NEO4J_URI", "bolt://staging:7687"));

        assertThat(environments.names()).containsExactly("DEVELOPMENT", "PRODUCTION", "STAGING_2");
        assertThat(environments.config("PRODUCTION").orElseThrow().uri()).isEqualTo("neo4j+s://prod.example:7687");
    }

    @Test
    void environmentsMatchInAnyCase() {
        Neo4jEnvironments environments = read(Map.of("PRODUCTION_NEO4J_URI", "bolt://prod:7687"));

        assertThat(environments.config("production")).isEqualTo(environments.config("PRODUCTION"));
        assertThat(environments.config("Production").orElseThrow().uri()).isEqualTo("bolt://prod:7687");
        assertThat(Neo4jEnvironments.uriKey("production")).isEqualTo("PRODUCTION_NEO4J_URI");
    }

    @Test
    void theUserIsTheEnvironmentsElseNeo4jUserElseTheDefaultUser() {
        Map<String, String> values = new HashMap<>(Map.of(
                "A_NEO4J_URI", "bolt://a:7687", "A_NEO4J_USER", "a-reader",
                "B_NEO4J_URI", "bolt://b:7687"));
        assertThat(read(values).config("A").orElseThrow().user()).isEqualTo("a-reader");
        assertThat(read(values).config("B").orElseThrow().user()).isEqualTo(Neo4jConfig.DEFAULT_USER);

        values.put("NEO4J_USER", "reader");
        assertThat(read(values).config("B").orElseThrow().user()).isEqualTo("reader");
    }

    @Test
    void thePasswordIsTheEnvironmentsOwnVerbatimAndNeverTheDefaultGraphs() {
        Neo4jEnvironments environments = read(Map.of(
                "NEO4J_PASSWORD", "dev-secret",
                "A_NEO4J_URI", "bolt://a:7687", "A_NEO4J_PASSWORD", " a secret ",
                "B_NEO4J_URI", "bolt://b:7687"));

        assertThat(environments.config("A").orElseThrow().password()).isEqualTo(" a secret ");
        assertThat(environments.config("B").orElseThrow().password()).isEmpty();
        assertThat(environments.config("B").orElseThrow().hasCredentials()).isFalse();
    }

    @Test
    void timeoutsAndThePoolAreTheDefaultGraphs() {
        Neo4jConfig env = read(Map.of(
                "NEO4J_CONNECT_TIMEOUT_MS", "700", "NEO4J_QUERY_TIMEOUT_MS", "9000", "NEO4J_MAX_POOL", "7",
                "A_NEO4J_URI", "bolt://a:7687")).config("A").orElseThrow();

        assertThat(env).isEqualTo(new Neo4jConfig("bolt://a:7687", "neo4j", "", Duration.ofMillis(700),
                Duration.ofMillis(9000), 7));
    }

    @Test
    void aBlankUriIsNoEnvironmentAndUserOrPasswordWithoutAUriAreNotRead() {
        Neo4jEnvironments environments = read(Map.of(
                "A_NEO4J_URI", "  ",
                "B_NEO4J_USER", "b", "B_NEO4J_PASSWORD", "b-secret"));

        assertThat(environments.names()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SEGREL_TEST_NEO4J_URI", "SEGREL_NEO4J_URI", "SEGREL_X_NEO4J_URI"})
    void segrelsOwnKeysAreNeverAnEnvironment(String key) {
        assertThat(read(Map.of(key, "bolt://test:7687")).names()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"_NEO4J_URI", "1PROD_NEO4J_URI", "PROD-EU_NEO4J_URI", "PROD.EU_NEO4J_URI"})
    void aKeyWhosePrefixIsNoEnvironmentNameIsRefused(String key) {
        assertThatThrownBy(() -> read(Map.of(key, "bolt://x:7687")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        key + " does not name an environment: the part before _NEO4J_URI must be a letter, then"
                                + " letters, digits or underscores (at most 64)"));
    }

    @Test
    void aKeyInLowerOrMixedCaseIsRefusedNamingTheUpperCaseKey() {
        assertThatThrownBy(() -> read(Map.of("Production_NEO4J_URI", "bolt://x:7687")))
                .hasMessage("invalid Neo4j configuration: Production_NEO4J_URI must be in upper case:"
                        + " PRODUCTION_NEO4J_URI (messages name the environment in any case)");
    }

    @Test
    void aBadUriIsOneLineNamingItsKeyWithoutThePassword() {
        assertThatThrownBy(() -> read(Map.of(
                        "PRODUCTION_NEO4J_URI", "http://neo4j:uri-secret@prod:7474",
                        "PRODUCTION_NEO4J_PASSWORD", "hunter2-secret",
                        "STAGING_NEO4J_URI", "bolt:///db")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "PRODUCTION_NEO4J_URI must start with bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// or"
                                + " neo4j+ssc://, was 'http://neo4j:***@prod:7474'",
                        "STAGING_NEO4J_URI must name a host, was 'bolt:///db'"))
                .message().doesNotContain("\n").doesNotContain("uri-secret").doesNotContain("hunter2-secret")
                .startsWith("invalid Neo4j configuration: ");
    }

    @Test
    void readingRecordsTheEnvironmentsProblemsBesideTheDefaultGraphsAndLeavesABadOneOut() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(
                "NEO4J_MAX_POOL", "none", "A_NEO4J_URI", "bolt://a:7687", "B_NEO4J_URI", "http://b")));

        Neo4jEnvironments environments = Neo4jEnvironments.read(reader, Neo4jConfig.read(reader));

        assertThat(reader.problems()).hasSize(2).anySatisfy(p -> assertThat(p).startsWith("NEO4J_MAX_POOL"))
                .anySatisfy(p -> assertThat(p).startsWith("B_NEO4J_URI"));
        assertThat(environments.names()).containsExactly("A");
    }

    @Test
    void overADefaultGraphReadAlreadyOnlyTheEnvironmentsKeysAreReported() {
        Neo4jConfig given = Neo4jConfig.of("bolt://given:7687", "given-user", "given-secret");

        Neo4jEnvironments environments = Neo4jEnvironments.fromSettings(
                Settings.of(Map.of("NEO4J_URI", "not a uri", "A_NEO4J_URI", "bolt://a:7687")), given);

        assertThat(environments.defaultGraph()).isEqualTo(given);
        assertThat(environments.config("A").orElseThrow().user()).isEqualTo("given-user");
    }

    @Test
    void toStringNamesEveryGraphWithoutPasswords() {
        Neo4jEnvironments environments = read(Map.of(
                "NEO4J_PASSWORD", "dev-secret",
                "A_NEO4J_URI", "bolt://u:uri-secret@a:7687", "A_NEO4J_PASSWORD", "a-secret"));

        assertThat(environments.toString()).contains("default=", "A=", "bolt://u:***@a:7687")
                .doesNotContain("dev-secret").doesNotContain("a-secret").doesNotContain("uri-secret");
    }

    @Test
    void givenEnvironmentsAreUpperCasedAndBadNamesRefused() {
        Neo4jConfig dev = Neo4jConfig.of("bolt://dev:7687", "neo4j", "");
        Neo4jConfig prod = Neo4jConfig.of("bolt://prod:7687", "neo4j", "");

        assertThat(Neo4jEnvironments.of(dev, Map.of("production", prod)).names()).containsExactly("PRODUCTION");
        assertThat(Neo4jEnvironments.only(dev).names()).isEmpty();
        assertThatThrownBy(() -> Neo4jEnvironments.of(dev, Map.of("prod-eu", prod)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prod-eu");
        assertThatThrownBy(() -> Neo4jEnvironments.of(dev, Map.of("prod", prod, "PROD", prod)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }
}
