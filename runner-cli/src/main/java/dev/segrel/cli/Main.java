package dev.segrel.cli;

import dev.segrel.worker.EnvironmentSettings;
import dev.segrel.worker.SignalStop;
import dev.segrel.worker.WorkerLogging;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** The {@code segrel} command. Builds the object graph and runs the command line; nothing else. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Cli.commandLine(production()), args));
    }

    /** The context of a real process: the environment over {@code ./.env}, stdin, SIGTERM. */
    public static CliContext production() {
        WorkerLogging.bridgeJul();
        SignalStop signals = new SignalStop();
        return CliContext.of(EnvironmentSettings::load, System.in, new ShutdownSignal() {
            @Override
            public void await() throws InterruptedException {
                signals.await();
            }

            @Override
            public void catchNow() {
                signals.catchNow();
            }
        });
    }

    /** Runs {@code cli} on the process's own stdout and stderr, in UTF-8; returns the exit code. */
    public static int run(CommandLine cli, String[] args) {
        return cli.setOut(utf8(FileDescriptor.out)).setErr(utf8(FileDescriptor.err)).execute(args);
    }

    private static PrintWriter utf8(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }
}
