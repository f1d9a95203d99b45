package dev.segrel.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.InvalidGraphDataException;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.cli.job.JobCommands;
import dev.segrel.cli.job.JobCreateCommand;
import dev.segrel.cli.job.JobListCommand;
import dev.segrel.cli.job.JobResultsCommand;
import dev.segrel.cli.job.JobStatusCommand;
import dev.segrel.cli.ops.CacheCommands;
import dev.segrel.cli.ops.CompletionCommand;
import dev.segrel.cli.ops.DoctorCommand;
import dev.segrel.cli.ops.MigrateCommand;
import dev.segrel.cli.ops.WorkerCommand;
import dev.segrel.cli.queue.QueueCommands;
import dev.segrel.cli.related.RelatedCommand;
import dev.segrel.cli.reprocess.ReprocessCommands;
import dev.segrel.worker.PortInUseException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Builds the {@code segrel} command line over a {@link CliContext}, with the error handling every
 * command shares: one line on stderr per error (a stack trace only with {@code --verbose}) and the
 * exit codes of {@link ExitCodes}.
 */
public final class Cli {

    private Cli() {}

    /** The production command line: every operator command. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new SegrelCommand());
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.addSubcommand(new RelatedCommand(context));
        cli.addSubcommand(new CommandLine(new JobCommands())
                .addSubcommand(new JobCreateCommand(context))
                .addSubcommand(new JobStatusCommand(context))
                .addSubcommand(new JobListCommand(context))
                .addSubcommand(new JobResultsCommand(context)));
        cli.addSubcommand(new CommandLine(new ReprocessCommands())
                .addSubcommand(new ReprocessCommands.SegmentCommand(context))
                .addSubcommand(new ReprocessCommands.JobCommand(context)));
        cli.addSubcommand(new CommandLine(new QueueCommands())
                .addSubcommand(new QueueCommands.Stats(context))
                .addSubcommand(new QueueCommands.Purge(context))
                .addSubcommand(new CommandLine(new QueueCommands.Dlq())
                        .addSubcommand(new QueueCommands.DlqList(context))
                        .addSubcommand(new QueueCommands.DlqRedrive(context))));
        cli.addSubcommand(new MigrateCommand(context));
        cli.addSubcommand(new DoctorCommand(context));
        cli.addSubcommand(new WorkerCommand(context));
        cli.addSubcommand(new CompletionCommand());
        cli.addSubcommand(new CommandLine(new CacheCommands()).addSubcommand(new CacheCommands.Invalidate(context)));
        cli.setParameterExceptionHandler(new OneLineUsageError());
        cli.setExecutionExceptionHandler(new OneLineFailure());
        cli.setExecutionStrategy(parseResult -> {
            if (verbose(parseResult)) {
                ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cli;
    }

    static boolean verbose(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Collapses a message to one line that shows no password. */
    public static String oneLine(String message) {
        String text = message == null || message.isBlank() ? "(no message)" : message;
        return Secrets.redact(text.strip().replaceAll("\\s*\\R\\s*", " "));
    }

    private static final class OneLineUsageError implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println(name + ": " + oneLine(ex.getMessage()).replaceFirst("^Error: ", "") + " (see '" + name + " --help')");
            if (Arrays.asList(args).contains("--verbose")) {
                cmd.getErr().print(stackTrace(ex));
            }
            cmd.getErr().flush();
            return ExitCodes.USAGE;
        }
    }

    private static final class OneLineFailure implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            int code;
            String message;
            if (ex instanceof CliException failure) {
                code = failure.exitCode();
                message = oneLine(failure.getMessage());
            } else if (ex instanceof GraphUnavailableException || ex instanceof StoreUnavailableException
                    || ex instanceof QueueUnavailableException || ex instanceof PortInUseException) {
                code = ExitCodes.UNAVAILABLE;
                message = oneLine(ex.getMessage());
            } else if (ex instanceof InvalidGraphDataException) {
                // the graph's data, not the command, is at fault: it names the segment and its manifestation
                code = ExitCodes.USAGE;
                message = oneLine(ex.getMessage());
            } else {
                code = ExitCodes.INTERNAL;
                message = "internal error: " + ex.getClass().getName() + ": " + oneLine(ex.getMessage())
                        + (verbose(parseResult) ? "" : " (rerun with --verbose for the stack trace)");
            }
            err.println("segrel: " + message);
            if (verbose(parseResult)) {
                err.print(stackTrace(ex));
            }
            err.flush();
            return code;
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return Secrets.redact(out.toString());
    }
}
