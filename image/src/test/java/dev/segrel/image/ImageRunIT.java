package dev.segrel.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segrel.testkit.time.Awaiting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the image's own entrypoint, from its unpacked layers, against this JVM's PostgreSQL and SQS:
 * the jlink'd runtime has the modules the worker needs, and the class path Jib laid out starts it.
 *
 * <p>As root with {@code unshare} and {@code chroot} (CI here), the worker runs inside the image's
 * root as uid 10001, so the root's own libraries, passwd and /tmp are what it uses, as in a
 * container. Otherwise it runs the image's {@code java} and jars from the unpacked directory on this
 * machine's libraries; the test says which in its output.
 */
class ImageRunIT {

    private static final Path WORK = Path.of("target", "image-run").toAbsolutePath();
    private static ImageTar image;
    private static Path root;
    private Process worker;

    @BeforeAll
    static void unpackTheImage() throws IOException {
        image = ImageTar.built();
        root = WORK.resolve("rootfs");
        deleteTree(root);
        Files.createDirectories(root);
        image.extractTo(root);
        for (String mountPoint : List.of("proc", "dev", "sys")) {
            Files.createDirectories(root.resolve(mountPoint));
        }
    }

    @AfterEach
    void stopTheWorker() throws InterruptedException {
        if (worker != null && worker.isAlive()) {
            worker.descendants().forEach(ProcessHandle::destroyForcibly);
            worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theWorkerStartsFromTheImageServesHealthAndStopsCleanlyOnSigterm() throws Exception {
        Path log = WORK.resolve("worker.log");
        Files.deleteIfExists(log);
        boolean chroot = chrootWorks();
        System.out.println("ImageRunIT: running the image's entrypoint " + (chroot
                ? "in a chroot of its root as uid 10001"
                : "from the unpacked image on this machine's libraries (not root, no unshare or chroot, or -Dsegrel.image.chroot=false)"));
        ProcessBuilder builder = new ProcessBuilder(command(chroot)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        for (JsonNode env : image.containerConfig().get("Env")) {
            String[] kv = env.asText().split("=", 2);
            builder.environment().put(kv[0], kv[1]);
        }
        builder.environment().putAll(ImageFixtures.workerEnvironment(0));
        worker = builder.start();

        int port = Awaiting.until(() -> ImageFixtures.loggedHttpPort(log).orElse(worker.isAlive() ? 0 : -1),
                p -> p != 0, Duration.ofSeconds(120));
        assertThat(port).as("worker exited before serving health:%n%s", read(log)).isPositive();
        ImageFixtures.Answer ready = Awaiting.until(() -> ImageFixtures.get(port, "/health/ready"),
                a -> a.body().contains("\"postgres\":\"UP\"") && a.body().contains("\"sqs\":\"UP\""), Duration.ofSeconds(60));
        ImageFixtures.Answer live = ImageFixtures.get(port, "/health/live");

        assertThat(live.status()).as(live.body()).isEqualTo(200);
        // no graph at the Neo4j address: not ready, although PostgreSQL and SQS answer
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body()).contains("\"neo4j\":\"DOWN");
        assertThat(ImageFixtures.get(port, "/metrics").body()).contains("segrel_tasks_in_flight");

        javaProcess(chroot).destroy();
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute of SIGTERM").isTrue();
        String output = read(log);
        assertThat(worker.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "UnsatisfiedLinkError",
                "WARNING: A restricted method", "WARNING: sun.misc.Unsafe");
    }

    private List<String> command(boolean chroot) throws IOException {
        List<String> entrypoint = new ArrayList<>();
        image.containerConfig().get("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
        if (chroot) {
            // what a container engine gives every container: /proc of its own PID namespace, /dev
            // (without /dev/urandom the JVM's seed generator spins for seconds) and a read-only /sys
            String mounts = "mount -t proc proc \"$1/proc\" && mount --rbind /dev \"$1/dev\""
                    + " && mount --rbind -o ro /sys \"$1/sys\" && root=\"$1\" && shift"
                    + " && exec chroot --userspec=10001:10001 \"$root\" \"$@\"";
            List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
                    "sh", "-c", mounts, "sh", root.toString()));
            command.addAll(entrypoint);
            return command;
        }
        // the same arguments with the image's absolute paths moved under the unpacked root
        Path classPathFile = WORK.resolve("classpath");
        String classPath = Files.readString(root.resolve("app/jib-classpath-file")).strip();
        Files.writeString(classPathFile, String.join(":",
                Stream.of(classPath.split(":")).map(e -> root + e).toList()));
        return entrypoint.stream()
                .map(arg -> arg.equals("@/app/jib-classpath-file") ? "@" + classPathFile
                        : arg.startsWith("/opt/java/") ? root + arg : arg)
                .toList();
    }

    /** The worker's JVM: the child of unshare in a chroot, else the process started. */
    private ProcessHandle javaProcess(boolean chroot) {
        if (!chroot) {
            return worker.toHandle();
        }
        Optional<ProcessHandle> java = worker.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
        return java.orElseThrow(() -> new AssertionError("no java process under " + worker.pid()));
    }

    /** {@code -Dsegrel.image.chroot=false} runs the unpacked image on this machine's libraries even as root. */
    private static boolean chrootWorks() {
        if (!"root".equals(System.getProperty("user.name"))
                || "false".equals(System.getProperty("segrel.image.chroot"))) {
            return false;
        }
        try {
            Process probe = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "chroot", "/", "true")
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
