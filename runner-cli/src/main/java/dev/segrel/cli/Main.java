package dev.segrel.cli;

import dev.segrel.worker.EnvironmentSettings;
import dev.segrel.worker.SignalStop;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/** The {@code segrel} command. Builds the object graph and runs the command line; nothing else. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // libraries that log through java.util.logging go to SLF4J too (the Neo4j driver's System.Logger
        // reaches SLF4J through slf4j-jdk-platform-logging)
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        CliContext context = new CliContext(EnvironmentSettings::load, new Neo4jGraphConnector(), System.in,
                new SignalStop()::await);
        CommandLine cli = Cli.commandLine(context)
                .setOut(utf8(FileDescriptor.out))
                .setErr(utf8(FileDescriptor.err));
        System.exit(cli.execute(args));
    }

    private static PrintWriter utf8(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }
}
