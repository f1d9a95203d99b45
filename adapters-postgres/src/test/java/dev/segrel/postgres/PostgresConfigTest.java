package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {

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
