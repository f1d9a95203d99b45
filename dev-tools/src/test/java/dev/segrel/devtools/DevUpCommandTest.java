package dev.segrel.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.ExitCodes;
import dev.segrel.core.config.Settings;
import dev.segrel.devstack.LoopbackPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DevUpCommandTest {

    private static final Pattern EXPORT = Pattern.compile("export ([A-Z0-9_]+)=(.*)");

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void devUpServesTheExampleGraphUntilItIsToldToStop() throws Exception {
        int port = LoopbackPorts.free();
        CountDownLatch stop = new CountDownLatch(1);
        PipedWriter pipe = new PipedWriter();
        BufferedReader stdout = new BufferedReader(new PipedReader(pipe, 64 * 1024));
        StringWriter stderr = new StringWriter();
        CliContext context = CliContext.of(() -> Settings.of(Map.of()), InputStream.nullInputStream(), stop::await);
        CompletableFuture<Integer> devUp = CompletableFuture.supplyAsync(() -> DevMain.commandLine(context)
                .setOut(new PrintWriter(pipe, true))
                .setErr(new PrintWriter(stderr, true))
                .execute("dev", "up", "--neo4j-port", Integer.toString(port), "--postgres-port", "0", "--sqs-port", "0",
                        "--load-graph", ExampleGraph.file().toString()));

        Map<String, String> exports = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = stdout.readLine()) != null && !line.equals("ready")) {
            lines.add(line);
            Matcher m = EXPORT.matcher(line);
            assertThat(m.matches()).as("stdout line '%s' (stderr: %s)", line, stderr).isTrue();
            exports.put(m.group(1), m.group(2));
        }
        assertThat(line).as("stdout %s, stderr %s", lines, stderr).isEqualTo("ready");
        assertThat(exports).containsEntry("NEO4J_URI", "bolt://127.0.0.1:" + port)
                .containsEntry("NEO4J_USER", "neo4j")
                .containsKey("NEO4J_PASSWORD");
        assertThat(stderr.toString()).contains("loaded " + ExampleGraph.file());
        assertThat(exports.get("POSTGRES_URL")).matches("postgresql://postgres@127\\.0\\.0\\.1:\\d+/postgres");
        assertThat(exports).containsKeys("SQS_ENDPOINT", "SQS_QUEUE_URL", "SQS_COMPLETED_QUEUE_URL", "AWS_REGION",
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

        // the exports are all migrate and doctor need
        DevRun migrate = DevRun.run(Settings.of(exports), "migrate");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        DevRun doctor = DevRun.run(Settings.of(exports), "doctor");
        assertThat(doctor.exitCode()).as(doctor.out()).isZero();

        DevRun related = DevRun.run(Settings.of(exports),
                "related", "--manifestation", "root-bo", "--start", "40", "--end", "50", "--json");
        assertThat(related.exitCode()).as(related.err()).isZero();
        assertThat(new ObjectMapper().readTree(related.out())).isEqualTo(ExampleGraph.expectedAnswer());

        stop.countDown();
        assertThat(devUp.get(1, TimeUnit.MINUTES)).isZero();
        assertThat(LoopbackPorts.listening(port)).as("Neo4j stopped listening").isFalse();
    }

    @Test
    void aMissingGraphFileExits2NamingItBeforeStartingAnything(@TempDir Path dir) {
        Path missing = dir.resolve("nope.cypher");

        DevRun run = DevRun.run(Settings.of(Map.of()), "dev", "up", "--neo4j-port", "0",
                "--load-graph", missing.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString()
                .isEqualTo("segrel: cannot read graph file " + missing + ": no such file");
    }

    @Test
    void aPortInUseExits4WithOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            DevRun run = DevRun.run(Settings.of(Map.of()), "dev", "up", "--neo4j-port", Integer.toString(port),
                    "--postgres-port", "0", "--sqs-port", "0");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines()).singleElement().asString()
                    .contains("127.0.0.1:" + port).contains("in use").contains("--neo4j-port");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aFailingStatementExits2NamingTheFileAndTheStatement(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.cypher"),
                "CREATE (:Manifestation {id: 'x'});\nTHIS IS NOT CYPHER;\nCREATE (:Manifestation {id: 'y'});\n",
                StandardCharsets.UTF_8);

        DevRun run = DevRun.run(Settings.of(Map.of()), "dev", "up", "--neo4j-port", "0", "--postgres-port", "0",
                "--sqs-port", "0", "--load-graph", broken.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).last().asString()
                .startsWith("segrel: cannot load graph file " + broken)
                .contains("statement 2");
    }

    @Test
    void aPostgresPortInUseExits4BeforeAnythingStays() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            DevRun run = DevRun.run(Settings.of(Map.of()), "dev", "up", "--neo4j-port", "0",
                    "--postgres-port", Integer.toString(port), "--sqs-port", "0");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines()).last().asString().contains("127.0.0.1:" + port).contains("--postgres-port");
        }
    }

    @Test
    void exportLinesQuoteValuesForTheShell() {
        assertThat(DevStack.shellQuote("bolt://127.0.0.1:7687")).isEqualTo("bolt://127.0.0.1:7687");
        assertThat(DevStack.shellQuote("")).isEqualTo("");
        assertThat(DevStack.shellQuote("a b'c")).isEqualTo("'a b'\\''c'");
    }
}
