package dev.segrel.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.cli.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@code ./segrel} launcher as a process, from another folder, on the packaged dev-tools jar. */
class LauncherIT {

    record Process(int exitCode, String out, String err) {}

    private static Process segrel(Path cwd, String... args) throws IOException, InterruptedException {
        Path launcher = DevRun.repositoryRoot().resolve("segrel");
        Path out = Files.createTempFile(cwd, "out", ".txt");
        Path err = Files.createTempFile(cwd, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(
                java.util.stream.Stream.concat(java.util.stream.Stream.of(launcher.toString()), List.of(args).stream())
                        .toList())
                .directory(cwd.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // the build that runs this test has just packaged the jar: do not build again from inside it
        builder.environment().put("SEGREL_SKIP_BUILD", "1");
        builder.environment().remove("NEO4J_URI");
        java.lang.Process p = builder.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("segrel finished").isTrue();
        return new Process(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpWorksFromAnyFolderAndPrintsOnlyToStdout(@TempDir Path elsewhere) throws Exception {
        Process run = segrel(elsewhere, "--help");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: segrel").contains("Exit codes:");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aUsageErrorIsOneLineOnStderrAndExit2(@TempDir Path elsewhere) throws Exception {
        Process run = segrel(elsewhere, "related", "-m", "A", "--start", "x", "--end", "3");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString().contains("'x' is not an int");
    }

    @Test
    void theDotEnvFileIsReadFromTheCallersFolder(@TempDir Path elsewhere) throws Exception {
        Files.writeString(elsewhere.resolve(".env"), "NEO4J_URI=http://from-dot-env\n", StandardCharsets.UTF_8);

        Process run = segrel(elsewhere, "related", "-m", "A", "--start", "0", "--end", "3");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("NEO4J_URI").contains("http://from-dot-env");
    }
}
