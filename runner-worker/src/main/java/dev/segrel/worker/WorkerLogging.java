package dev.segrel.worker;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.segrel.core.config.Settings;
import java.net.URL;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Installs the worker's logging (the existing service's line format or, with {@code LOG_FORMAT=json},
 * one JSON object per line; task fields on every task line) over whatever configuration the process
 * started with. {@code segrel worker} runs inside the CLI, whose own {@code logback.xml} comes first
 * on the class path: without this its daemon would log like a CLI command.
 */
public final class WorkerLogging {

    /** Where log lines go. */
    public enum Target {
        /** The jar: a daemon's stdout. */
        STDOUT("System.out"),
        /** {@code segrel worker}: the CLI keeps stdout for data. */
        STDERR("System.err");

        private final String appenderTarget;

        Target(String appenderTarget) {
            this.appenderTarget = appenderTarget;
        }
    }

    private static final String CONFIGURATION = "/dev/segrel/worker/logback-worker.xml";

    private WorkerLogging() {}

    /**
     * Sends what libraries log through {@code java.util.logging} to SLF4J too, so their lines come
     * out in the process's format (the Neo4j driver's {@code System.Logger} reaches SLF4J through
     * slf4j-jdk-platform-logging; the rest of JUL needs this bridge). Idempotent.
     */
    public static void bridgeJul() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /**
     * Replaces the process's logging configuration with the worker's, reading {@code LOG_FORMAT}
     * ({@code text} or {@code json}) and {@code LOG_LEVEL} from {@code settings} (so {@code .env}
     * counts too). Closing the returned handle puts the process's own configuration back (a CLI
     * run in a test JVM). Does nothing where the logging back end is not logback.
     */
    public static Installed install(Settings settings, Target target) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { };
        }
        URL configuration = WorkerLogging.class.getResource(CONFIGURATION);
        if (configuration == null) {
            throw new IllegalStateException(CONFIGURATION + " is missing from the class path");
        }
        context.reset();
        context.putProperty("LOG_FORMAT", format(settings));
        context.putProperty("LOG_LEVEL", settings.get("LOG_LEVEL", "INFO"));
        context.putProperty("SEGREL_LOG_TARGET", target.appenderTarget);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(configuration);
        } catch (JoranException e) {
            throw new IllegalStateException("the worker's logging configuration is broken: " + e.getMessage(), e);
        }
        return () -> {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException("cannot restore the logging configuration: " + e.getMessage(), e);
            }
        };
    }

    /** The worker's logging, installed until closed. */
    @FunctionalInterface
    public interface Installed extends AutoCloseable {
        @Override
        void close();
    }

    /** {@code json} (any case) or else {@code text}. */
    static String format(Settings settings) {
        return settings.get("LOG_FORMAT").map(f -> f.toLowerCase(java.util.Locale.ROOT))
                .filter(f -> f.equals("json")).orElse("text");
    }
}
