package dev.segrel.devstack.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

    @Test
    void startsAServerThatTheUrlsItPrintsReach() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.start(0)) {
            assertThat(server.libpqUrl()).isEqualTo("postgresql://postgres@127.0.0.1:" + server.port() + "/postgres");
            try (Connection c = DriverManager.getConnection(server.jdbcUrl());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW fsync")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("off");
            }
        }
    }
}
