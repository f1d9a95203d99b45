package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.testkit.process.JvmProcesses;
import dev.segrel.testkit.time.Awaiting;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a real JVM between catching the signals and waiting for them: kept, not the JVM's default. */
class SignalStopTest {

    /**
     * The worker's shape: catch the signals, "start" (here: wait for a line on stdin, which the test
     * sends after its SIGTERM), then wait for the signal and exit 0.
     */
    public static final class StartsThenWaits {
        public static void main(String[] args) throws Exception {
            SignalStop signals = new SignalStop();
            if (!"lazy".equals(System.getenv("CATCH"))) {
                signals.catchNow();
            }
            System.out.println("starting");
            System.out.flush();
            System.in.read();
            signals.await();
            System.out.println("stopped after the signal");
            System.exit(0);
        }
    }

    @TempDir
    Path dir;

    @Test
    void aSigtermDuringTheStartIsKeptAndTheProcessStopsCleanlyOnceStarted() throws Exception {
        Path log = JvmProcesses.logFile(dir, "caught");
        Process p = JvmProcesses.start(StartsThenWaits.class.getName(), "32m", Map.of(), log);
        try {
            Awaiting.until(() -> read(log), text -> text.contains("starting"), Duration.ofSeconds(60));

            p.destroy(); // SIGTERM, while it is still "starting"
            try (OutputStream in = p.getOutputStream()) {
                in.write('\n');
            }

            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(read(log)).isZero();
            assertThat(read(log)).contains("stopped after the signal");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void withoutCatchingFirstTheSameSigtermMeetsTheJvmsDefault() throws Exception {
        // what the worker did before: the signals were caught only once it waited
        Path log = JvmProcesses.logFile(dir, "lazy");
        Process p = JvmProcesses.start(StartsThenWaits.class.getName(), "32m", Map.of("CATCH", "lazy"), log);
        try {
            Awaiting.until(() -> read(log), text -> text.contains("starting"), Duration.ofSeconds(60));

            p.destroy();

            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(read(log)).doesNotContain("stopped after the signal");
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
