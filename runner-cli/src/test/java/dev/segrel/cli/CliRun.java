package dev.segrel.cli;

import dev.segrel.core.config.Settings;
import dev.segrel.testkit.graph.TestingNeo4j;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the {@code segrel} command line in process, with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    /** The settings that point at the shared test Neo4j. */
    static Settings testNeo4j() {
        TestingNeo4j neo4j = TestingNeo4j.get();
        return Settings.of(Map.of(
                "NEO4J_URI", neo4j.boltUri(), "NEO4J_USER", neo4j.user(), "NEO4J_PASSWORD", neo4j.password()));
    }

    static CliContext context(Settings settings, String stdin) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return CliContext.of(() -> settings, in, () -> {
            throw new AssertionError("this test does not expect a long-running command");
        });
    }

    static CliRun run(CliContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.commandLine(context)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    static CliRun run(Settings settings, String... args) {
        return run(context(settings, ""), args);
    }

    /** The repository's root folder (surefire passes it; else the module's parent). */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("segrel.repository.root", "..")).toAbsolutePath().normalize();
    }
}
