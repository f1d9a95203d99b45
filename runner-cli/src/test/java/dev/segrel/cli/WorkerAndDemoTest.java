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

/** segrel worker and segrel demo, in process against real servers. */
class WorkerAndDemoTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theWorkerCommandProcessesAJobUntilItIsToldToStop() throws Exception {
        try (OpsEnv env = OpsEnv.create("worker-command")) {
            Settings settings = env.settings.with(Map.of("SEGREL_HTTP_PORT", "-1", "SQS_WAIT_SECONDS", "1",
                    "SEGREL_SHUTDOWN_GRACE_SECONDS", "5"));
            CountDownLatch stop = new CountDownLatch(1);
            StringWriter err = new StringWriter();
            CliContext context = new CliContext(() -> settings, new Neo4jGraphConnector(), InputStream.nullInputStream(),
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

            assertThat(MappingsJson.MAPPER.readTree(watch.out()).get("status").asText()).isEqualTo("COMPLETED");
            assertThat(worker.get(1, TimeUnit.MINUTES)).as(err.toString()).isZero();
            assertThat(err.toString()).as("the worker logs, it prints no CLI notices").isEmpty();
            assertThat(env.store().jobStatus(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
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

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theDemoRunsAJobToCompletionOnEmbeddedServers() throws Exception {
        CliRun run = CliRun.run(Settings.of(Map.of()), "demo", "--segments", "200", "--workers", "2", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = MappingsJson.MAPPER.readTree(run.out());
        assertThat(summary.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(summary.get("completed_segments").asInt()).isEqualTo(200);
        assertThat(summary.get("completion_message").get("job_id").asText()).isEqualTo(summary.get("job_id").asText());
        JsonNode first = summary.get("examples").get(0);
        assertThat(first.get("segment_id").asText()).isEqualTo("demo-bo-s00000");
        assertThat(first.get("mappings")).extracting(m -> m.get("manifestation_id").asText())
                .containsExactly("demo-en", "demo-zh", "demo-de");
        assertThat(run.err()).contains("segrel demo: loaded the sample corpus").contains("COMPLETED: 200/200 done");
    }

    @Test
    void theDemoRefusesNonsenseOptions() {
        CliRun run = CliRun.run(Settings.of(Map.of()), "demo", "--workers", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("--workers must be in 1..8");
    }
}
