package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every call on the pool's connections is bounded: by the server's statement timeout, and by the driver's socket timeout. */
class PostgresTimeoutsTest {

    private static final String URL = "postgresql://segrel@db.example.com/jobs";

    @Test
    void theDefaultsBoundAStatementAt30sAndASilentSocketAt45s() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("POSTGRES_URL", URL)));

        PostgresConfig config = PostgresConfig.read(reader);

        assertThat(reader.problems()).isEmpty();
        assertThat(config.timeouts()).isEqualTo(new PostgresTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(45)));
        assertThat(config.timeouts().socketSeconds()).isEqualTo(45);
    }

    @Test
    void eachKeySetsItsTimeoutAndTheSocketIsRoundedUpToWholeSeconds() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("POSTGRES_URL", URL,
                "SEGREL_POSTGRES_STATEMENT_TIMEOUT_MS", "1500", "SEGREL_POSTGRES_SOCKET_TIMEOUT_MS", "2001")));

        PostgresTimeouts timeouts = PostgresConfig.read(reader).timeouts();

        assertThat(reader.problems()).isEmpty();
        assertThat(timeouts).isEqualTo(new PostgresTimeouts(Duration.ofMillis(1500), Duration.ofMillis(2001)));
        assertThat(timeouts.socketSeconds()).isEqualTo(3);
        assertThat(timeouts.sessionSql()).isEqualTo("SET statement_timeout = 1500");
    }

    @Test
    void aSocketTimeoutNotLongerThanTheStatementTimeoutIsOneProblemNamingBothKeys() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("POSTGRES_URL", URL,
                "SEGREL_POSTGRES_STATEMENT_TIMEOUT_MS", "60000", "SEGREL_POSTGRES_SOCKET_TIMEOUT_MS", "60000")));

        PostgresConfig.read(reader);

        assertThat(reader.problems()).containsExactly("SEGREL_POSTGRES_SOCKET_TIMEOUT_MS must be longer than"
                + " SEGREL_POSTGRES_STATEMENT_TIMEOUT_MS (or 0), was 60000 <= 60000");
    }

    @Test
    void aBadValueIsOneProblemNamingItsKey() {
        ConfigReader reader = new ConfigReader(Settings.of(Map.of("POSTGRES_URL", URL,
                "SEGREL_POSTGRES_STATEMENT_TIMEOUT_MS", "soon")));

        PostgresConfig.read(reader);

        assertThat(reader.problems()).singleElement().asString().startsWith("SEGREL_POSTGRES_STATEMENT_TIMEOUT_MS");
    }

    @Test
    void thePoolsConnectionsCarryBothTimeouts() throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        PostgresConfig config = PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(1)
                .withTimeouts(new PostgresTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(4)));
        try (Postgres postgres = Postgres.connect(config); Connection c = postgres.dataSource().getConnection();
                var rs = c.createStatement().executeQuery("SHOW statement_timeout")) {
            rs.next();

            assertThat(rs.getString(1)).isEqualTo("1500ms");
            assertThat(c.getNetworkTimeout()).as("socket timeout, ms").isEqualTo(4000);
        }
    }

    @Test
    void aStatementLongerThanTheTimeoutIsCancelledByTheServerAsATransientFault() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        PostgresConfig config = PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(1)
                .withTimeouts(new PostgresTimeouts(Duration.ofMillis(200), Duration.ofSeconds(30)));
        try (Postgres postgres = Postgres.connect(config)) {
            var jdbi = Postgres.jdbi(postgres.dataSource());

            assertThatThrownBy(() -> {
                try {
                    jdbi.useHandle(h -> h.execute("SELECT pg_sleep(3)"));
                } catch (org.jdbi.v3.core.JdbiException e) {
                    throw Failures.translate(e, "sleeping");
                }
            }).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("statement timeout");
        }
    }
}
