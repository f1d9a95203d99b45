package dev.segrel.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import dev.segrel.worker.WorkerApp;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code segrel worker}: runs the worker daemon in this process until SIGTERM or Ctrl-C. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = {
            "Run the worker daemon until SIGTERM or Ctrl-C.",
            "It receives task messages from SQS_QUEUE_URL, computes related segments from",
            "Neo4j, stores them in PostgreSQL and announces finished jobs on",
            "SQS_COMPLETED_QUEUE_URL. Same configuration as the worker's jar (see the",
            "README's table). SIGTERM or Ctrl-C finishes or releases the tasks in hand",
            "within SEGREL_SHUTDOWN_GRACE_SECONDS and exits 0. Logs go to stderr (INFO",
            "unless LOG_LEVEL says otherwise)."
        },
        footer = {
            "",
            "Examples:",
            "  ./segrel worker",
            "  SEGREL_CONCURRENCY=32 SEGREL_HTTP_PORT=9090 ./segrel worker",
            ExitCodes.FOOTER
        })
public final class WorkerCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    public WorkerCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = context.settings().get();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        if (before != null && before.isGreaterOrEqual(Level.WARN)) {
            root.setLevel(Level.toLevel(settings.get("LOG_LEVEL", "INFO"), Level.INFO));
        }
        try {
            return run(settings);
        } finally {
            root.setLevel(before);
        }
    }

    private int run(Settings settings) throws InterruptedException {
        WorkerApp app;
        try {
            app = WorkerApp.start(settings);
        } catch (IllegalArgumentException e) {
            // one problem per line from the worker: one line here, all of them named
            throw new CliException(ExitCodes.USAGE, "invalid configuration: "
                    + Secrets.redact(e.getMessage()).replaceAll("\\s*\\R\\s*", "; "), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("segrel: worker running" + (app.httpPort() > 0 ? " (health and metrics on port " + app.httpPort() + ")" : "")
                + "; SIGTERM or Ctrl-C stops it");
        err.flush();
        try {
            context.shutdown().await();
        } finally {
            boolean clean = app.stop(app.shutdownGrace());
            err.println("segrel: worker stopped" + (clean ? "" : " (some tasks were released unfinished; other workers take them)"));
            err.flush();
        }
        return ExitCodes.OK;
    }
}
