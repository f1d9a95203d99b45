package dev.segrel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The PostgreSQL container the fixture uses where a Docker engine answers. */
@ExtendWith(DockerOnly.class)
class PostgresContainerTest {

    @Test
    void starts_and_answers_a_query_through_the_fixture_url() throws Exception {
        try (PostgreSQLContainer container = ServerContainers.startPostgres();
                Connection c = DriverManager.getConnection(ServerContainers.jdbcUrl(container));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000, "
                        + "current_setting('fsync')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(17);
            assertThat(rs.getString(2)).isEqualTo("off");
        }
    }
}
