package dev.segrel.devtools;

import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.devstack.postgres.EmbeddedPostgres;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/** {@code dev up}'s PostgreSQL: an {@link EmbeddedPostgres}, empty ({@code segrel migrate} creates the tables). */
final class PostgresDevService implements DevService {

    private final EmbeddedPostgres postgres;

    private PostgresDevService(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static PostgresDevService start(int port, PrintWriter progress) {
        Ports.requireFree(port, "PostgreSQL", "--postgres-port");
        progress.println("segrel: starting PostgreSQL on 127.0.0.1:" + port + " …");
        progress.flush();
        try {
            return new PostgresDevService(EmbeddedPostgres.start(port));
        } catch (RuntimeException e) {
            if (Ports.causedByBind(e)) {
                throw new CliException(ExitCodes.UNAVAILABLE, "cannot listen on 127.0.0.1:" + port
                        + " for PostgreSQL: the port is in use (choose another with --postgres-port)", e);
            }
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public SequencedMap<String, String> environment() {
        SequencedMap<String, String> env = new LinkedHashMap<>();
        env.put("POSTGRES_URL", postgres.libpqUrl());
        return env;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (RuntimeException e) {
            // stopping is best effort: the data directory is temporary
        }
    }
}
