package dev.segrel.devtools;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segrel dev up}: runs the dependencies in this process until SIGTERM or Ctrl-C. */
@Command(
        name = "up",
        sortOptions = false,
        description = {
            "Run segrel's dependencies in this process until SIGTERM or Ctrl-C.",
            "Starts Neo4j (schema created, graph files loaded), PostgreSQL (empty: run",
            "'segrel migrate') and SQS (ElasticMQ, with the task queue, its dead-letter",
            "queue and the completion queue), prints the 'export' lines a shell needs to",
            "reach them, then a line 'ready'. SIGTERM or Ctrl-C stops them, deletes their",
            "files and exits 0. Progress goes to stderr.",
            "An unreadable graph file or a failing statement exits 2 (naming the file",
            "and the statement's number); a port in use exits 4."
        },
        footer = {
            "",
            "Examples:",
            "  ./segrel dev up --load-graph docs/examples/small-canon.cypher > dev.env",
            "    then, in another shell, once dev.env ends with 'ready':",
            "    eval \"$(grep ^export dev.env)\"; ./segrel migrate; ./segrel worker",
            "  ./segrel dev up --neo4j-port 0 --postgres-port 0 --sqs-port 0",
            "    (any free ports)",
            ExitCodes.FOOTER
        })
public final class DevUpCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--neo4j-port", paramLabel = "PORT", defaultValue = "7687",
            description = "Bolt port of the embedded Neo4j, on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int neo4jPort;

    @Option(names = "--postgres-port", paramLabel = "PORT", defaultValue = "5433",
            description = "Port of the embedded PostgreSQL, on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int postgresPort;

    @Option(names = "--sqs-port", paramLabel = "PORT", defaultValue = "9324",
            description = "Port of the embedded SQS (ElasticMQ), on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int sqsPort;

    @Option(names = "--load-graph", paramLabel = "FILE",
            description = "A Cypher file (statements separated by ';') to load into Neo4j; repeatable.")
    List<Path> graphFiles = new ArrayList<>();

    public DevUpCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (DevStack stack = start(spec.commandLine().getErr())) {
            Thread closeOnExit = new Thread(stack::close, "segrel-dev-down");
            Runtime.getRuntime().addShutdownHook(closeOnExit);
            try {
                stack.exportLines().forEach(out::println);
                out.println("ready");
                out.flush();
                context.shutdown().await();
            } finally {
                removeHook(closeOnExit);
            }
        }
        return ExitCodes.OK;
    }

    /** Starts every service this command was asked for; the caller closes the stack. */
    DevStack start(PrintWriter progress) {
        return DevStack.start(services(progress));
    }

    /** The services to start, in order. Another embedded server is one more line here. */
    List<DevService.Starter> services(PrintWriter progress) {
        // check every input before starting anything: a typo fails in milliseconds, not after Neo4j's start
        Neo4jDevService.checkReadable(graphFiles);
        Ports.requireFree(neo4jPort, "Neo4j Bolt", "--neo4j-port");
        Ports.requireFree(postgresPort, "PostgreSQL", "--postgres-port");
        Ports.requireFree(sqsPort, "SQS (ElasticMQ)", "--sqs-port");
        List<DevService.Starter> services = new ArrayList<>();
        services.add(() -> Neo4jDevService.start(neo4jPort, graphFiles, progress));
        services.add(() -> PostgresDevService.start(postgresPort, progress));
        services.add(() -> SqsDevService.start(sqsPort, progress));
        return services;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: it closes the stack itself
        }
    }
}
