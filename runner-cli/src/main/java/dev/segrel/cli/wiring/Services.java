package dev.segrel.cli.wiring;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import com.google.inject.util.Modules;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.Settings;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.postgres.PostgresModule;
import dev.segrel.sqs.SqsModule;
import dev.segrel.worker.TracingModule;
import dev.segrel.worker.GraphModule;
import dev.segrel.worker.Resources;
import java.time.Clock;
import java.util.Collection;

/**
 * What one operator command runs on: the worker's own adapter modules and the use cases over them, in a
 * lazy injector, so a command connects to exactly the dependencies it uses (and {@code related} never
 * opens PostgreSQL). {@link #close} closes what was opened.
 *
 * <p>A configuration problem is a usage error (exit 2) naming the key; an unreachable dependency
 * propagates as the adapter's unavailable exception (exit 4).
 */
public final class Services implements AutoCloseable {

    /** Operator commands run a few statements at a time: no need for the worker's pool. */
    static final int POOL_SIZE = 2;

    private final Injector injector;
    private final Resources resources;

    private Services(Injector injector, Resources resources) {
        this.injector = injector;
        this.resources = resources;
    }

    /** The services of {@code context}'s configuration, nothing opened yet. */
    public static Services open(CliContext context) {
        requireNonNull(context, "context is null");
        Settings settings = context.settings().get();
        Resources resources = new Resources();
        Module production = Modules.combine(
                resources,
                new CliModule(settings, Clock.systemUTC()),
                new TracingModule(TracingModule.CLI_SERVICE),
                new GraphModule(Clock.systemUTC()),
                Modules.override(new PostgresModule()).with(new AbstractModule() {
                    @com.google.inject.Provides
                    @com.google.inject.Singleton
                    PostgresConfig config(Settings s) {
                        return PostgresConfig.fromSettings(s).withPoolSize(POOL_SIZE);
                    }
                }),
                new SqsModule());
        Module all = context.overrides().isEmpty() ? production : Modules.override(production).with(context.overrides());
        try {
            return new Services(Guice.createInjector(Stage.DEVELOPMENT, all), resources);
        } catch (CreationException e) {
            throw translate(e, e.getErrorMessages());
        }
    }

    /** The instance of {@code type}, made (and its dependencies connected) on first use. */
    public <T> T get(Class<T> type) {
        try {
            return injector.getInstance(type);
        } catch (ProvisionException e) {
            throw translate(e, e.getErrorMessages());
        } catch (ConfigurationException e) {
            throw translate(e, e.getErrorMessages());
        }
    }

    @Override
    public void close() {
        resources.close();
    }

    /** Guice wraps what a provider throws: the command wants the adapter's own exception, or a usage error. */
    private static RuntimeException translate(RuntimeException e, Collection<Message> messages) {
        for (Message message : messages) {
            Throwable cause = message.getCause();
            while (cause instanceof ProvisionException nested && nested.getCause() != null) {
                cause = nested.getCause();
            }
            if (cause instanceof ConfigException bad) {
                return new CliException(ExitCodes.USAGE, bad.getMessage(), bad);
            }
            if (cause instanceof RuntimeException runtime) {
                return runtime;
            }
        }
        return e;
    }
}
