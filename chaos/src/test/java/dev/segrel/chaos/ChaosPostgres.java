package dev.segrel.chaos;

import dev.segrel.devstack.LoopbackPorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The chaos suite's own PostgreSQL (zonky's binaries, like dev-stack's EmbeddedPostgres) on a fixed
 * port and data directory, so that it can be stopped and started again under the workers' feet.
 */
final class ChaosPostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;
    private int restarts;

    private ChaosPostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    static ChaosPostgres start() {
        try {
            Path dir = Files.createTempDirectory("segrel-chaos-pg-");
            ChaosPostgres pg = new ChaosPostgres(dir, LoopbackPorts.free());
            pg.server = pg.launch();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EmbeddedPostgres launch() throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                // never clean: zonky deletes a "clean" directory on close, and a restart must keep the data
                // (initdb runs only when the directory holds no cluster yet)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(true)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    /** Stops the server (fast shutdown: every session is cut) and starts it again on the same port and data. */
    synchronized void restart() {
        try {
            server.close();
            server = launch();
            restarts++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the chaos PostgreSQL: " + e.getMessage(), e);
        }
    }

    synchronized int restarts() {
        return restarts;
    }

    int port() {
        return port;
    }

    String serverJdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** A new schema; the URL's connections see only it. */
    String freshSchemaUrl() {
        String name = "chaos_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + name);
        return serverJdbcUrl() + "&currentSchema=" + name;
    }

    void execute(String sql) {
        try (Connection c = DriverManager.getConnection(serverJdbcUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("chaos PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Terminates every client session but the caller's: what an operator's pg_terminate_backend does. */
    int terminateClientSessions() {
        try (Connection c = DriverManager.getConnection(serverJdbcUrl()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                        + "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("chaos PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            server.close();
        } catch (IOException e) {
            // the JVM is going away
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
