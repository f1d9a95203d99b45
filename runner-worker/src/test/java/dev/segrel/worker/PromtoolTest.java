package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's own checker accepts the alert rules, and their unit test passes: run where
 * {@code promtool} is on the PATH (Debian's {@code prometheus} package), skipped with the reason elsewhere.
 */
class PromtoolTest {

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        Result result = promtool("check", "rules", MonitoringFiles.ALERTS);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void theRulesUnitTestPassesTheAlertsFireWhenTheyShould() throws Exception {
        Result result = promtool("test", "rules", MonitoringFiles.ALERTS_TEST);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    private record Result(int exit, String output) {}

    private static Result promtool(String... args) throws IOException, InterruptedException {
        Optional<Path> promtool = onPath("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not on the PATH (apt-get install prometheus): rules not checked");
        List<String> command = new java.util.ArrayList<>(List.of(promtool.get().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(MonitoringFiles.root().toFile()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ends").isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
