package dev.segrel.cli.ops;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import dev.segrel.postgres.LayoutException;
import dev.segrel.worker.WorkerApp;
import dev.segrel.worker.WorkerLogging;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;

/** {@code segrel worker}: runs the worker daemon in this process until SIGTERM or Ctrl-C. */
@Command(
        name = "worker",
        description = {
            "Run the worker daemon until SIGTERM or Ctrl-C.",
            "It receives task messages from SQS_QUEUE_URL, computes related segments from",
            "Neo4j, stores them in PostgreSQL and announces finished jobs on",
            "SQS_COMPLETED_QUEUE_URL. Same configuration as the worker's jar (see the",
            "README's table). SIGTERM or Ctrl-C finishes or releases the tasks in hand",
            "within SEGREL_SHUTDOWN_GRACE_SECONDS and exits 0. Logs go to stderr, in the",
            "worker's format: LOG_FORMAT=text (the existing service's lines) or json (one",
            "object per line), at LOG_LEVEL (default INFO)."
        },
        footer = {
            "",
            "Examples:",
            "  ./segrel worker",
            "  SEGREL_CONCURRENCY=32 SEGREL_HTTP_PORT=9090 ./segrel worker",
            "  LOG_FORMAT=json ./segrel worker 2> worker.log",
            ExitCodes.FOOTER
        })
public final class WorkerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    private final CliContext context;

    public WorkerCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = context.settings().get();
        // the daemon logs as its jar does (LOG_FORMAT, task fields), not as a CLI command
        WorkerLogging.Installed logging = WorkerLogging.install(settings, WorkerLogging.Target.STDERR);
        try {
            return run(settings);
        } finally {
            logging.close();
        }
    }

    private int run(Settings settings) throws InterruptedException {
        // a SIGTERM during the start stops the worker once started, rather than the JVM before it is
        context.shutdown().catchNow();
        WorkerApp app;
        try {
            app = WorkerApp.start(settings);
        } catch (IllegalArgumentException e) {
            // every problem the worker found, on one line here; anything else refused at start is its message
            List<String> problems = e instanceof ConfigException config ? config.problems()
                    : List.of(String.valueOf(e.getMessage()));
            throw new CliException(ExitCodes.USAGE, "invalid configuration: "
                    + problems.stream().map(Secrets::redact).collect(Collectors.joining("; ")), e);
        } catch (LayoutException e) {
            // its migration at start found tables it cannot adopt as they are: the operator decides
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        log.info("Worker running{}; SIGTERM or Ctrl-C stops it",
                app.httpPort() > 0 ? " (health and metrics on port " + app.httpPort() + ")" : "");
        try {
            context.shutdown().await();
        } finally {
            boolean clean = app.stop(app.shutdownGrace());
            log.info("Worker stopped{}", clean ? "" : " (some tasks were released unfinished; other workers take them)");
        }
        return ExitCodes.OK;
    }
}
