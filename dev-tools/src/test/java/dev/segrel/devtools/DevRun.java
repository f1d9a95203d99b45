package dev.segrel.devtools;

import dev.segrel.cli.CliContext;
import dev.segrel.core.config.Settings;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the {@code ./segrel} command line (operator commands and dev tools) in process, with captured stdout and stderr. */
record DevRun(int exitCode, String out, String err) {

    /** A context with the given settings, no stdin, and no long-running command expected. */
    static CliContext context(Settings settings) {
        return CliContext.of(() -> settings, InputStream.nullInputStream(), () -> {
            throw new AssertionError("this test does not expect a long-running command");
        });
    }

    static DevRun run(CliContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DevMain.commandLine(context)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new DevRun(exit, out.toString(), err.toString());
    }

    static DevRun run(Settings settings, String... args) {
        return run(context(settings), args);
    }

    /** The repository's root folder (surefire and failsafe pass it; else the module's parent). */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("segrel.repository.root", "..")).toAbsolutePath().normalize();
    }
}
