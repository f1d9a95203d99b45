package dev.segrel.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segrel.cli.ExitCodes;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.testkit.time.Awaiting;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./segrel worker} as an operator runs it: a child process of the launcher, logging in the
 * worker's own format (not the CLI's), stopped by SIGTERM.
 */
class WorkerLauncherIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Finished(int exitCode, String out, String err) {}

    @Test
    void withLogFormatJsonEveryLineIsAJsonObjectAndTaskLinesCarryTheTaskFields(@TempDir Path cwd) throws Exception {
        try (LauncherEnv env = LauncherEnv.create("launcher-json")) {
            Finished run = runAJob(env, cwd, Map.of("LOG_FORMAT", "json"));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEmpty();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : run.err().lines().toList()) {
                lines.add(JSON.readTree(line)); // throws on a line that is not JSON
            }
            assertThat(lines).allSatisfy(l -> assertThat(l.isObject()).as(l.toString()).isTrue())
                    .allSatisfy(l -> assertThat(l.has("message") && l.has("level")).as(l.toString()).isTrue());
            assertThat(lines).filteredOn(l -> l.has("segment_id"))
                    .isNotEmpty()
                    .allSatisfy(l -> assertThat(l.has("job_id") && l.has("attempt")).as(l.toString()).isTrue());
            assertThat(lines).anySatisfy(l -> assertThat(l.get("message").asText()).contains("Worker stopped"));
        }
    }

    @Test
    void byDefaultTaskLinesHaveTheExistingServicesFormatWithTheTaskFields(@TempDir Path cwd) throws Exception {
        try (LauncherEnv env = LauncherEnv.create("launcher-text")) {
            Finished run = runAJob(env, cwd, Map.of());

            assertThat(run.exitCode()).as(run.err()).isZero();
            List<String> lines = run.err().lines().toList();
            assertThat(lines).isNotEmpty().allSatisfy(line ->
                    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d - [\\w.$]+ - [A-Z]+ - .*"));
            assertThat(lines).anySatisfy(line ->
                    assertThat(line).containsPattern("\\[job=[0-9a-f-]{36} segment=a\\d attempt=\\d+]$"));
        }
    }

    @Test
    void aTakenHttpPortExits4WithOneLineNamingIt(@TempDir Path cwd) throws Exception {
        try (LauncherEnv env = LauncherEnv.create("launcher-port"); ServerSocket taken = new ServerSocket(0)) {
            Map<String, String> environment = new HashMap<>(env.settings.asMap());
            environment.put("SEGREL_HTTP_PORT", String.valueOf(taken.getLocalPort()));
            Process worker = launch(cwd, environment);

            assertThat(worker.waitFor(2, TimeUnit.MINUTES)).isTrue();
            String err = Files.readString(cwd.resolve("err.txt"), StandardCharsets.UTF_8);
            assertThat(worker.exitValue()).as(err).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(err.lines().filter(l -> l.startsWith("segrel:"))).singleElement().asString()
                    .contains("SEGREL_HTTP_PORT " + taken.getLocalPort());
        }
    }

    /** Starts the worker, creates a job of A's three segments, waits for it and stops the worker. */
    private static Finished runAJob(LauncherEnv env, Path cwd, Map<String, String> extra) throws Exception {
        Map<String, String> environment = new HashMap<>(env.settings.asMap());
        environment.put("SEGREL_HTTP_PORT", "0");
        environment.put("SQS_WAIT_SECONDS", "1");
        environment.put("SEGREL_SHUTDOWN_GRACE_SECONDS", "5");
        environment.putAll(extra);
        Process worker = launch(cwd, environment);
        try {
            DevRun create = DevRun.run(env.settings, "job", "create", "-m", "A");
            assertThat(create.exitCode()).as(create.err()).isZero();
            JobId job = JobId.parse(create.out().strip());

            Optional<JobStatus> done = Awaiting.until(() -> env.jobStatus(job),
                    s -> s.isPresent() && s.get().state() == JobState.COMPLETED, Duration.ofMinutes(2));
            assertThat(done.orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        } finally {
            worker.destroy(); // SIGTERM
        }
        assertThat(worker.waitFor(1, TimeUnit.MINUTES)).as("the worker stopped after SIGTERM").isTrue();
        return new Finished(worker.exitValue(), Files.readString(cwd.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(cwd.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static Process launch(Path cwd, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(DevRun.repositoryRoot().resolve("segrel").toString(), "worker")
                .directory(cwd.toFile())
                .redirectOutput(cwd.resolve("out.txt").toFile())
                .redirectError(cwd.resolve("err.txt").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // the build that runs this test has just packaged the jar: do not build again from inside it
        builder.environment().put("SEGREL_SKIP_BUILD", "1");
        builder.environment().putAll(environment);
        return builder.start();
    }
}
