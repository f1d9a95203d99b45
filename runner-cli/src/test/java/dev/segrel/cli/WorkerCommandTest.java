package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** segrel worker, in process against real servers. */
class WorkerCommandTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theWorkerCommandProcessesAJobUntilItIsToldToStop() throws Exception {
        try (OpsEnv env = OpsEnv.create("worker-command")) {
            Settings settings = env.settings.with(Map.of("SEGREL_HTTP_PORT", "-1", "SQS_WAIT_SECONDS", "1",
                    "SEGREL_SHUTDOWN_GRACE_SECONDS", "5"));
            CountDownLatch stop = new CountDownLatch(1);
            StringWriter err = new StringWriter();
            CliContext context = CliContext.of(() -> settings, InputStream.nullInputStream(),
                    stop::await);
            CompletableFuture<Integer> worker = CompletableFuture.supplyAsync(() -> Cli.commandLine(context)
                    .setOut(new PrintWriter(new StringWriter(), true))
                    .setErr(new PrintWriter(err, true))
                    .execute("worker"));

            CliRun create = CliRun.run(settings, "job", "create", "-m", "A");
            assertThat(create.exitCode()).as(create.err()).isZero();
            JobId job = JobId.parse(create.out().strip());
            CliRun watch = CliRun.run(settings, "job", "status", job.toString(), "--watch", "--interval", "50", "--json");
            stop.countDown();

            assertThat(TestJson.MAPPER.readTree(watch.out()).get("status").asText()).isEqualTo("COMPLETED");
            assertThat(worker.get(1, TimeUnit.MINUTES)).as(err.toString()).isZero();
            assertThat(err.toString()).as("the worker logs, it prints no CLI notices").isEmpty();
            assertThat(env.jobs().jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        }
    }

    @Test
    void aTakenHttpPortExits4WithOneLineNamingThePort() throws Exception {
        try (OpsEnv env = OpsEnv.create("worker-port-taken"); ServerSocket taken = new ServerSocket(0)) {
            CliRun run = CliRun.run(env.settings.with(Map.of("SEGREL_HTTP_PORT", String.valueOf(taken.getLocalPort()))),
                    "worker");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.err().lines()).singleElement().asString()
                    .startsWith("segrel: cannot listen on SEGREL_HTTP_PORT " + taken.getLocalPort());
        }
    }

    @Test
    void aBadWorkerConfigurationExits2OnOneLine() {
        try (OpsEnv env = OpsEnv.create("worker-bad-config")) {
            CliRun run = CliRun.run(env.settings.with(Map.of("SEGREL_CONCURRENCY", "lots")), "worker");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err().lines()).singleElement().asString().contains("SEGREL_CONCURRENCY");
        }
    }
}
