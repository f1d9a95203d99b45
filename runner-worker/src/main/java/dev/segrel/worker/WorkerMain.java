package dev.segrel.worker;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.postgres.LayoutException;
import java.util.List;

/**
 * {@code java -jar segrel-worker.jar}: runs the worker until SIGTERM or Ctrl-C, then shuts down within
 * {@code SEGREL_SHUTDOWN_GRACE_SECONDS} and exits 0.
 *
 * <p>Exit codes: 0 stopped cleanly, 2 bad configuration (one line per problem on stderr), 4 a
 * dependency unreachable at start, 1 anything else.
 */
public final class WorkerMain {

    private WorkerMain() {}

    public static void main(String[] args) {
        // caught from the start: a SIGTERM during start-up stops the worker once started, exit 0
        SignalStop signals = new SignalStop();
        signals.catchNow();
        Settings settings = EnvironmentSettings.load();
        // LOG_FORMAT and LOG_LEVEL may come from .env, which logback's own start-up does not read
        WorkerLogging.install(settings, WorkerLogging.Target.STDOUT);
        WorkerLogging.bridgeJul();
        System.exit(run(settings, signals));
    }

    /** Something that blocks until the process should stop. */
    @FunctionalInterface
    public interface StopSignal {
        /** Blocks until the process is asked to stop. */
        void await() throws InterruptedException;
    }

    /** Runs a worker from {@code settings} until {@code stop} returns; returns the exit code. */
    public static int run(Settings settings, StopSignal stop) {
        WorkerApp app;
        try {
            app = WorkerApp.start(settings);
        } catch (IllegalArgumentException e) {
            // a ConfigException names every bad setting; anything else refused at start is its message
            List<String> lines = e instanceof ConfigException config ? config.problems()
                    : String.valueOf(e.getMessage()).lines().toList();
            for (String line : lines) {
                System.err.println("segrel worker: " + Secrets.redact(line));
            }
            return 2;
        } catch (LayoutException e) {
            // the tables cannot be adopted as they are (SEGREL_TABLE_LAYOUT, duplicate tasks): as bad configuration
            System.err.println("segrel worker: " + Secrets.redact(e.getMessage()));
            return 2;
        } catch (StoreUnavailableException | GraphUnavailableException | PortInUseException e) {
            System.err.println("segrel worker: " + Secrets.redact(e.getMessage()));
            return 4;
        } catch (RuntimeException e) {
            System.err.println("segrel worker: cannot start: " + Secrets.redact(String.valueOf(e.getMessage())));
            return 1;
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop(app.shutdownGrace());
        return 0;
    }

}
