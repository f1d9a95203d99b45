package dev.segrel.devtools;

import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.devstack.neo4j.LoadProgress;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/** {@code dev up}'s Neo4j: an {@link EmbeddedNeo4j} with the schema and the given graph files loaded. */
final class Neo4jDevService implements DevService {

    private final EmbeddedNeo4j neo4j;

    private Neo4jDevService(EmbeddedNeo4j neo4j) {
        this.neo4j = neo4j;
    }

    /** Checks every file is readable before anything starts, so a typo fails in milliseconds. */
    static void checkReadable(List<Path> graphFiles) {
        for (Path file : graphFiles) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new CliException(ExitCodes.USAGE, "cannot read graph file " + file + ": "
                        + (Files.exists(file) ? "not a readable file" : "no such file"));
            }
        }
    }

    /**
     * Starts Neo4j with Bolt on {@code 127.0.0.1:port}, creates the schema and loads each file,
     * reporting progress on {@code progress}.
     */
    static Neo4jDevService start(int port, List<Path> graphFiles, PrintWriter progress) {
        checkReadable(graphFiles);
        Ports.requireFree(port, "Neo4j Bolt", "--neo4j-port");
        progress.println("segrel: starting Neo4j on 127.0.0.1:" + port + " …");
        progress.flush();
        EmbeddedNeo4j neo4j;
        try {
            neo4j = EmbeddedNeo4j.start(port);
        } catch (RuntimeException e) {
            if (Ports.causedByBind(e)) {
                throw new CliException(ExitCodes.UNAVAILABLE, "cannot listen on 127.0.0.1:" + port
                        + " for Neo4j Bolt: the port is in use (choose another with --neo4j-port)", e);
            }
            throw e;
        }
        Neo4jDevService service = new Neo4jDevService(neo4j);
        try {
            neo4j.createSchema();
            for (Path file : graphFiles) {
                load(neo4j, file, progress);
            }
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private static void load(EmbeddedNeo4j neo4j, Path file, PrintWriter progress) {
        long t0 = System.nanoTime();
        long statements;
        try {
            statements = neo4j.load(file, new ProgressLines(file, progress));
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read graph file " + file + ": " + e.getCause().getMessage(), e);
        } catch (IllegalArgumentException e) {
            // names the file and the statement's number
            throw new CliException(ExitCodes.USAGE, "cannot load graph file " + file + ": " + e.getMessage(), e);
        }
        progress.printf("segrel: loaded %s: %d statements in %d ms%n", file, statements,
                (System.nanoTime() - t0) / 1_000_000);
        progress.flush();
    }

    @Override
    public String name() {
        return "Neo4j";
    }

    @Override
    public SequencedMap<String, String> environment() {
        SequencedMap<String, String> env = new LinkedHashMap<>();
        env.put("NEO4J_URI", neo4j.boltUri());
        env.put("NEO4J_USER", "neo4j");
        // the embedded server runs without authentication; an empty password makes segrel send none
        env.put("NEO4J_PASSWORD", "");
        return env;
    }

    @Override
    public void close() {
        neo4j.close();
    }

    /** A line on stderr at most every ten thousand statements, so big files show they are moving. */
    private static final class ProgressLines implements LoadProgress {
        private static final long EVERY = 10_000;
        private final Path file;
        private final PrintWriter out;
        private long reported;

        ProgressLines(Path file, PrintWriter out) {
            this.file = file;
            this.out = out;
        }

        @Override
        public void update(long bytesRead, long totalBytes, long statementsRun) {
            if (statementsRun - reported >= EVERY) {
                reported = statementsRun;
                long percent = totalBytes == 0 ? 100 : bytesRead * 100 / totalBytes;
                out.printf("segrel: loading %s: %d statements, %d%%%n", file, statementsRun, percent);
                out.flush();
            }
        }
    }
}
