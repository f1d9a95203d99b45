package dev.segrel.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Module;
import dev.segrel.core.config.Settings;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the commands need from the outside world, built by {@link Main} (or by a test).
 *
 * @param settings the configuration, read when a command needs it (environment over {@code ./.env})
 * @param stdin the standard input ({@code related --batch -}, confirmations)
 * @param shutdown what long-running commands ({@code worker}, {@code dev up}) wait for before they stop
 * @param overrides Guice modules that replace production bindings of the commands' wiring (tests)
 */
public record CliContext(Supplier<Settings> settings, InputStream stdin, ShutdownSignal shutdown, List<Module> overrides) {

    public CliContext {
        requireNonNull(settings, "settings is null");
        requireNonNull(stdin, "stdin is null");
        requireNonNull(shutdown, "shutdown is null");
        overrides = List.copyOf(requireNonNull(overrides, "overrides is null"));
    }

    /** A context with the production wiring. */
    public static CliContext of(Supplier<Settings> settings, InputStream stdin, ShutdownSignal shutdown) {
        return new CliContext(settings, stdin, shutdown, List.of());
    }

    /** The same context with {@code settings} instead (a command that runs another in process). */
    public CliContext withSettings(Settings replaced) {
        return new CliContext(() -> replaced, stdin, shutdown, overrides);
    }
}
