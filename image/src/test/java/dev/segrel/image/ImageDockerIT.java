package dev.segrel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segrel.testkit.time.Awaiting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loads {@code jib-image.tar} into a Docker engine and runs it against this JVM's PostgreSQL and
 * SQS (host network: the servers listen on 127.0.0.1). Skipped, saying why, where no engine answers
 * {@code docker info}; {@link ImageRunIT} runs the same entrypoint without one.
 */
class ImageDockerIT {

    private String container;

    @AfterEach
    void removeTheContainer() throws Exception {
        if (container != null) {
            docker(Duration.ofSeconds(30), "rm", "-f", container);
        }
    }

    @Test
    void theLoadedImageRunsTheWorkerWhichServesHealthAndExitsZeroOnDockerStop() throws Exception {
        String engine = dockerAnswers();
        assumeTrue(engine == null, engine);
        ImageTar image = ImageTar.built();
        String tag = image.manifest().get("RepoTags").get(0).asText();
        Result load = docker(Duration.ofMinutes(2), "load", "-i", image.path().toString());
        assertThat(load.code()).as(load.output()).isZero();

        int port = ImageFixtures.freePort();
        List<String> run = new ArrayList<>(List.of("run", "-d", "--network", "host"));
        for (Map.Entry<String, String> e : ImageFixtures.workerEnvironment(port).entrySet()) {
            run.add("-e");
            run.add(e.getKey() + "=" + e.getValue());
        }
        run.add(tag);
        Result started = docker(Duration.ofMinutes(1), run.toArray(String[]::new));
        assertThat(started.code()).as(started.output()).isZero();
        container = started.output().strip();

        ImageFixtures.Answer ready = Awaiting.until(() -> ImageFixtures.get(port, "/health/ready"),
                a -> a.body().contains("\"postgres\":\"UP\"") && a.body().contains("\"sqs\":\"UP\""), Duration.ofSeconds(120));
        assertThat(ready.body()).contains("\"neo4j\":\"DOWN");
        assertThat(ImageFixtures.get(port, "/health/live").status()).isEqualTo(200);
        Result user = docker(Duration.ofSeconds(30), "exec", container, "/opt/java/bin/java", "-XshowSettings:properties", "-version");
        assertThat(user.output()).contains("user.name = segrel");

        Result stop = docker(Duration.ofSeconds(60), "stop", "-t", "30", container);
        assertThat(stop.code()).as(stop.output()).isZero();
        Result exit = docker(Duration.ofSeconds(30), "inspect", "-f", "{{.State.ExitCode}}", container);
        assertThat(exit.output().strip()).as(docker(Duration.ofSeconds(30), "logs", container).output()).isEqualTo("0");
    }

    /** Null when a Docker engine answers, else why not. */
    private static String dockerAnswers() {
        try {
            Result info = docker(Duration.ofSeconds(15), "info", "--format", "{{.ServerVersion}}");
            if (info.code() == 0) {
                return null;
            }
            String why = info.output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("exit " + info.code());
            return "no Docker engine answers `docker info` (" + why.strip() + "): ImageRunIT runs the image's entrypoint without one";
        } catch (IOException e) {
            return "no docker command (" + e.getMessage() + "): ImageRunIT runs the image's entrypoint without one";
        }
    }

    record Result(int code, String output) {}

    private static Result docker(Duration timeout, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "docker " + String.join(" ", args) + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
