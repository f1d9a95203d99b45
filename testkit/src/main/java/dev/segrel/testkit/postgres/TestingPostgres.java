package dev.segrel.testkit.postgres;

import dev.segrel.devstack.postgres.EmbeddedPostgres;
import dev.segrel.testkit.ServerContainers;
import dev.segrel.testkit.TestServers;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server of this test JVM, started or connected to on first use: the server that
 * {@code SEGREL_TEST_POSTGRES_URL} names (libpq {@code postgresql://user[:pass]@host:port/db} or JDBC
 * form), else a Testcontainers container where a Docker engine answers, else an embedded one (see
 * {@link TestServers}). Each test class takes a {@link #freshSchema()} so that tests never see each
 * other's rows; the schemas are dropped (or the container or embedded server deleted) when the JVM
 * exits.
 */
public final class TestingPostgres {

    public static final String URL_VARIABLE = "SEGREL_TEST_POSTGRES_URL";

    private static TestingPostgres instance;

    private final String serverJdbcUrl;
    private final boolean external;
    private final List<String> schemas = new ArrayList<>();

    private TestingPostgres(String serverJdbcUrl, boolean external) {
        this.serverJdbcUrl = serverJdbcUrl;
        this.external = external;
    }

    /** The JVM's server, started (or connected to) on first call. */
    public static synchronized TestingPostgres shared() {
        if (instance == null) {
            switch (TestServers.kindOf(TestServers.Server.POSTGRES)) {
                case EXTERNAL -> {
                    instance = new TestingPostgres(toJdbc(System.getenv(URL_VARIABLE).trim()), true);
                    Runtime.getRuntime().addShutdownHook(new Thread(instance::dropSchemas, "testing-postgres-cleanup"));
                }
                case CONTAINER -> {
                    PostgreSQLContainer container = ServerContainers.startPostgres();
                    ServerContainers.stopAtExit(container, "testing-postgres-stop");
                    instance = new TestingPostgres(ServerContainers.jdbcUrl(container), false);
                }
                case IN_PROCESS -> {
                    EmbeddedPostgres server = EmbeddedPostgres.start(0);
                    instance = new TestingPostgres(server.jdbcUrl(), false);
                    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "testing-postgres-stop"));
                }
            }
        }
        return instance;
    }

    /** True when the tests run against {@code SEGREL_TEST_POSTGRES_URL} rather than a server of their own. */
    public boolean external() {
        return external;
    }

    /** The server's JDBC URL (its default schema; prefer {@link #freshSchema()}). */
    public String serverJdbcUrl() {
        return serverJdbcUrl;
    }

    /** A new empty schema, the only one on the search path of connections made with its URLs. */
    public synchronized Schema freshSchema() {
        String name = "segrel_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + name);
        schemas.add(name);
        return new Schema(name, withParameter(serverJdbcUrl, "currentSchema", name));
    }

    /** Runs one statement on the server's default schema. */
    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(serverJdbcUrl);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * A schema of the test server.
     *
     * @param name the schema
     * @param jdbcUrl a JDBC URL whose connections use this schema
     */
    public record Schema(String name, String jdbcUrl) {

        /** Opens a plain connection (for assertions and legacy-schema setup). */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl);
        }

        /** Runs statements in order, each on its own. */
        public void execute(String... statements) {
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("test PostgreSQL: " + e.getMessage(), e);
            }
        }

        /** The first column of the first row of a query, as text (null for SQL null). */
        public String queryString(String sql) {
            try (Connection c = connect();
                    Statement s = c.createStatement();
                    var rs = s.executeQuery(sql)) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                return rs.getString(1);
            } catch (SQLException e) {
                throw new IllegalStateException("test PostgreSQL: " + e.getMessage(), e);
            }
        }

        /** The first column of the first row of a query, as a long. */
        public long queryLong(String sql) {
            try (Connection c = connect();
                    Statement s = c.createStatement();
                    var rs = s.executeQuery(sql)) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException("test PostgreSQL: " + e.getMessage(), e);
            }
        }
    }

    private synchronized void dropSchemas() {
        for (String schema : schemas) {
            try {
                execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (RuntimeException e) {
                System.err.println("could not drop test schema " + schema + ": " + e.getMessage());
            }
        }
        schemas.clear();
    }

    static String withParameter(String jdbcUrl, String key, String value) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** libpq {@code postgres[ql]://user[:pass]@host[:port]/db[?k=v]} to JDBC; JDBC URLs pass through. */
    static String toJdbc(String url) {
        if (url.startsWith("jdbc:")) {
            return url;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else if (lower.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException(URL_VARIABLE + " must start with postgresql://, postgres:// or jdbc:postgresql://");
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = URLDecoder.decode(colon >= 0 ? info.substring(0, colon) : info, StandardCharsets.UTF_8);
            password = colon >= 0 ? URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8) : null;
        }
        String out = "jdbc:postgresql://" + rest;
        if (user != null && !user.isEmpty()) {
            out = withParameter(out, "user", user);
        }
        if (password != null && !password.isEmpty()) {
            out = withParameter(out, "password", password);
        }
        return out;
    }
}
