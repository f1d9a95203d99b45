package dev.segrel.devstack.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A PostgreSQL server in a child process (zonky's linux-amd64 binaries), for {@code segrel dev up},
 * demos and tests. Tuned for throwaway data: no fsync, no synchronous commit. {@link #close} stops
 * the server and deletes its data directory.
 *
 * <p>The superuser is {@code postgres} without a password (trust on loopback); the database is
 * {@code postgres}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a server on {@code port} on 127.0.0.1; 0 picks a free port. Blocks until it accepts connections. */
    public static EmbeddedPostgres start(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(true)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port != 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgres(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** {@code postgresql://postgres@127.0.0.1:PORT/postgres}: the form users put in {@code POSTGRES_URL}. */
    public String libpqUrl() {
        return "postgresql://" + USER + "@127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE + "?user=" + USER;
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
