package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostgresConfigTest {

    private static final String URL = "postgresql://segrel:hunter22@db.example.com:5433/jobs";
    private static final PostgresConfig DEFAULTS = new PostgresConfig("jdbc:postgresql://db.example.com:5433/jobs", "segrel",
            "hunter22", PostgresConfig.DEFAULT_POOL_SIZE, true, PostgresConfig.DEFAULT_MAX_RESULT_BYTES);

    @Test
    void readingNothingButTheUrlGivesTheDefaultsAndNoProblem() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("POSTGRES_URL", URL)));

        assertThat(PostgresConfig.read(reader)).isEqualTo(DEFAULTS);
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void readingNothingAtAllIsOneProblemNamingTheUrl() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of()));

        PostgresConfig config = PostgresConfig.read(reader);

        assertThat(reader.problems()).containsExactly(
                "POSTGRES_URL is not set (expected postgresql://user:password@host:5432/database)");
        assertThat(config.jdbcUrl()).isEqualTo(PostgresConfig.UNREAD_URL);
    }

    @Test
    void readingEveryKeyGivesItsValue() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of(
                "POSTGRES_URL", "jdbc:postgresql://h:5432/db?user=u&password=pw",
                "SEGREL_POSTGRES_POOL_SIZE", "1000",
                "SEGREL_MIGRATE_ON_START", "off",
                "SEGREL_MAX_RESULT_BYTES", "1",
                "SEGREL_TABLE_LAYOUT", "current",
                "SEGREL_MIGRATE_LOCK_TIMEOUT_MS", "250")));

        assertThat(PostgresConfig.read(reader)).isEqualTo(new PostgresConfig("jdbc:postgresql://h:5432/db", "u", "pw", 1000,
                false, 1, Optional.of(TableLayout.CURRENT), PostgresTimeouts.DEFAULTS, 250));
        assertThat(reader.problems()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SEGREL_POSTGRES_POOL_SIZE | many        | SEGREL_POSTGRES_POOL_SIZE must be an integer, was 'many'",
        "SEGREL_POSTGRES_POOL_SIZE | 99999999999 | SEGREL_POSTGRES_POOL_SIZE must be an integer, was '99999999999'",
        "SEGREL_POSTGRES_POOL_SIZE | 0           | SEGREL_POSTGRES_POOL_SIZE must be 1..1000, was 0",
        "SEGREL_POSTGRES_POOL_SIZE | 1001        | SEGREL_POSTGRES_POOL_SIZE must be 1..1000, was 1001",
        "SEGREL_MIGRATE_ON_START   | maybe       | SEGREL_MIGRATE_ON_START must be true or false, was 'maybe'",
        "SEGREL_MAX_RESULT_BYTES   | 64MB        | SEGREL_MAX_RESULT_BYTES must be an integer, was '64MB'",
        "SEGREL_MAX_RESULT_BYTES   | 0           | SEGREL_MAX_RESULT_BYTES must be >= 1, was 0",
        "SEGREL_TABLE_LAYOUT       | v2          | SEGREL_TABLE_LAYOUT must be readme, v1 or current, was 'v2'",
        "SEGREL_MIGRATE_LOCK_TIMEOUT_MS | 1s     | SEGREL_MIGRATE_LOCK_TIMEOUT_MS must be an integer (milliseconds), was '1s'",
        "SEGREL_MIGRATE_LOCK_TIMEOUT_MS | 0      | SEGREL_MIGRATE_LOCK_TIMEOUT_MS must be 1..60000, was 0",
    })
    void aMalformedValueIsOneProblemNamingItsKeyAndReadsAsTheDefault(String key, String value, String problem) {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("POSTGRES_URL", URL, key, value)));

        PostgresConfig config = PostgresConfig.read(reader);

        assertThat(reader.problems()).containsExactly(problem);
        assertThat(config).isEqualTo(DEFAULTS);
    }

    @ParameterizedTest
    @CsvSource({"readme, README", "v1, V1", "CURRENT, CURRENT", "' current ', CURRENT"})
    void eachTableLayoutIsReadByItsName(String value, TableLayout layout) {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("POSTGRES_URL", URL, "SEGREL_TABLE_LAYOUT", value)));

        assertThat(PostgresConfig.read(reader).tableLayout()).contains(layout);
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void theMigrationsLockWaitIsOneSecondByDefault() {
        assertThat(DEFAULTS.migrateLockTimeoutMillis()).isEqualTo(1000);
        assertThat(DEFAULTS.withMigrateLockTimeoutMillis(5).migrateLockTimeoutMillis()).isEqualTo(5);
        assertThat(DEFAULTS.withPoolSize(2).migrateLockTimeoutMillis()).isEqualTo(1000);
        assertThat(DEFAULTS.toString()).contains("migrateLockTimeoutMillis=1000");
    }

    @Test
    void withoutATableLayoutTheLayoutIsDetected() {
        assertThat(DEFAULTS.tableLayout()).isEmpty();
        assertThat(DEFAULTS.toString()).contains("tableLayout=detect");
        assertThat(DEFAULTS.withTableLayout(TableLayout.V1).toString()).contains("tableLayout=v1");
    }

    @Test
    void aMalformedUrlIsOneProblemWithoutThePassword() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("POSTGRES_URL", "mysql://u:hunter22@h/db")));

        PostgresConfig config = PostgresConfig.read(reader);

        assertThat(reader.problems()).singleElement().asString()
                .isEqualTo("POSTGRES_URL must start with postgresql://, postgres:// or jdbc:postgresql:// (scheme was 'mysql')");
        assertThat(config.jdbcUrl()).isEqualTo(PostgresConfig.UNREAD_URL);
        assertThat(config.password()).isNull();
    }

    @Test
    void onItsOwnItNamesEveryBadKeyInOneConfigExceptionOnOneLine() {
        assertThatThrownBy(() -> parse(Map.of("SEGREL_POSTGRES_POOL_SIZE", "0")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessage("POSTGRES_URL is not set (expected postgresql://user:password@host:5432/database); "
                        + "SEGREL_POSTGRES_POOL_SIZE must be 1..1000, was 0");
    }

    private static PostgresConfig parse(Map<String, String> values) {
        return PostgresConfig.fromSettings(Settings.of(values));
    }

    private static PostgresConfig url(String url) {
        return parse(Map.of("POSTGRES_URL", url));
    }

    @Test
    void defaultsApplyWhenOnlyTheUrlIsSet() {
        PostgresConfig config = url("postgresql://segrel:s3cret@db.example.com:5433/jobs");

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5433/jobs");
        assertThat(config.user()).isEqualTo("segrel");
        assertThat(config.password()).isEqualTo("s3cret");
        assertThat(config.poolSize()).isEqualTo(10);
        assertThat(config.migrateOnStart()).isTrue();
        assertThat(config.maxResultBytes()).isEqualTo(64 * 1024 * 1024);
    }

    @Test
    void everyKeyIsRead() {
        PostgresConfig config = parse(Map.of(
                "POSTGRES_URL", "postgres://u@h/d",
                "SEGREL_POSTGRES_POOL_SIZE", "3",
                "SEGREL_MIGRATE_ON_START", "false",
                "SEGREL_MAX_RESULT_BYTES", "1000"));

        assertThat(config.poolSize()).isEqualTo(3);
        assertThat(config.migrateOnStart()).isFalse();
        assertThat(config.maxResultBytes()).isEqualTo(1000);
    }

    @Test
    void theLibpqFormKeepsItsParametersAndDecodesCredentials() {
        PostgresConfig config = url("postgresql://us%40er:p%3Aw%2Fd@127.0.0.1:5432/db?sslmode=require&connect_timeout=5&application_name=segrel");

        assertThat(config.user()).isEqualTo("us@er");
        assertThat(config.password()).isEqualTo("p:w/d");
        assertThat(config.jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/db?sslmode=require&connectTimeout=5&ApplicationName=segrel");
    }

    @Test
    void theLibpqFormWithoutPasswordPortOrDatabaseUsesLibpqDefaults() {
        PostgresConfig config = url("postgresql://postgres@localhost");

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/postgres");
        assertThat(config.user()).isEqualTo("postgres");
        assertThat(config.password()).isNull();
    }

    @Test
    void theJdbcFormTakesItsCredentialsOutOfTheUrl() {
        PostgresConfig config = url("jdbc:postgresql://h:5432/db?user=u&password=pw&currentSchema=s1");

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?currentSchema=s1");
        assertThat(config.user()).isEqualTo("u");
        assertThat(config.password()).isEqualTo("pw");
    }

    @Test
    void toStringNeverShowsThePassword() {
        assertThat(url("postgresql://u:hunter22@h:5432/db").toString()).doesNotContain("hunter22").contains("password=***");
    }

    @Test
    void brokenUrlsGetAOneLineReasonWithoutThePassword() {
        assertThatThrownBy(() -> parse(Map.of())).hasMessageStartingWith("POSTGRES_URL is not set");
        assertBroken("mysql://u:hunter22@h/db", "must start with postgresql://");
        assertBroken("postgresql://u:hunter22@h:54x2/db", "port must be a number");
        assertBroken("postgresql://u:hunter22@h:99999/db", "port must be 1..65535");
        assertBroken("postgresql://u:hunter22@/db", "has no host");
        assertBroken("postgresql://u:hunter22%zz@h/db", "malformed %-escape in its password");
        assertBroken("postgresql://u:hunter22@h o/db", "invalid host name");
        assertBroken("jdbc:postgresql://u:hunter22@h/db", "takes credentials as ?user=");
        assertThatThrownBy(() -> parse(Map.of("POSTGRES_URL", "postgresql://h/d", "SEGREL_POSTGRES_POOL_SIZE", "many")))
                .hasMessage("SEGREL_POSTGRES_POOL_SIZE must be an integer, was 'many'");
        assertThatThrownBy(() -> parse(Map.of("POSTGRES_URL", "postgresql://h/d", "SEGREL_MIGRATE_ON_START", "maybe")))
                .hasMessage("SEGREL_MIGRATE_ON_START must be true or false, was 'maybe'");
    }

    private static void assertBroken(String url, String reason) {
        assertThatThrownBy(() -> url(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("hunter22")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
