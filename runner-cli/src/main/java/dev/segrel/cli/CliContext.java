package dev.segrel.cli;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Settings;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * What the commands need from the outside world, built by {@link Main} (or by a test).
 *
 * @param settings the configuration, read when a command needs it (environment over {@code ./.env})
 * @param graphs opens the alignment graph the configuration points at
 * @param stdin the standard input ({@code related --batch -})
 * @param shutdown what {@code dev up} waits for before it stops
 */
public record CliContext(Supplier<Settings> settings, GraphConnector graphs, InputStream stdin, ShutdownSignal shutdown) {

    public CliContext {
        requireNonNull(settings, "settings is null");
        requireNonNull(graphs, "graphs is null");
        requireNonNull(stdin, "stdin is null");
        requireNonNull(shutdown, "shutdown is null");
    }
}
