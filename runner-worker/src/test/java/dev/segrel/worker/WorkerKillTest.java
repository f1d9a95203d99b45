package dev.segrel.worker;

import dev.segrel.core.domain.JobStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.process.JvmProcesses;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real worker processes: one is killed with SIGKILL mid-job, another finishes the job, nothing counted twice. */
class WorkerKillTest {

    private static final Path LOGS = Path.of("target", "worker-processes");

    private static Process startWorker(Settings settings, Path log) throws IOException {
        return JvmProcesses.start(WorkerMain.class.getName(), "256m", settings.asMap(), log);
    }


    static final int SEGMENTS = 300;

    @Test
    void aWorkerKilledMidJobLeavesNothingStrandedOrCountedTwice() throws Exception {
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.reset();
        neo4j.load(ThreeTextCanon.of(SEGMENTS));
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        QueueUrls queues = TestingSqs.createQueues("kill");
        JobId job = JobId.random();
        try (Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2))) {
            postgres.migrator().migrate();
            postgres.jobs().createJob(ThreeTextCanon.job(job, SEGMENTS), Instant.now());
            new SqsTaskQueue(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()), Duration.ofSeconds(5))
                    .send(ThreeTextCanon.taskBodies(job, SEGMENTS));

            // short visibility (= lease): the victim's tasks come back within seconds
            Settings settings = WorkerEndToEndTest.settings(queues, schema.jdbcUrl()).with(Map.of(
                    "SQS_VISIBILITY_SECONDS", "4",
                    "SEGREL_HTTP_PORT", "-1",
                    "SEGREL_MIGRATE_ON_START", "false"));
            Path victimLog = JvmProcesses.logFile(LOGS, "victim");
            Path survivorLog = JvmProcesses.logFile(LOGS, "survivor");
            Process victim = startWorker(settings.with(Map.of("SEGREL_WORKER_ID", "victim")), victimLog);
            Process survivor = null;
            try {
                Awaiting.until(() -> postgres.jobs().jobStatus(job).orElseThrow().completedSegments(),
                        n -> n >= 30, Duration.ofMinutes(2));
                victim.destroyForcibly(); // SIGKILL: no shutdown hook, no release
                assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(victim.exitValue()).isEqualTo(137);
                int atKill = postgres.jobs().jobStatus(job).orElseThrow().completedSegments();
                assertThat(atKill).isLessThan(SEGMENTS);

                survivor = startWorker(settings.with(Map.of("SEGREL_WORKER_ID", "survivor", "LOG_FORMAT", "json")),
                        survivorLog);
                JobStatus status = WorkerEndToEndTest.awaitFinished(postgres.jobs(), job, Duration.ofMinutes(3));

                assertThat(status.state()).isEqualTo(JobState.COMPLETED);
                assertThat(status.completedSegments()).isEqualTo(SEGMENTS);
                assertThat(schema.queryLong("SELECT count(*) FROM segment_task WHERE status = 'COMPLETED' "
                        + "AND result_json IS NOT NULL")).isEqualTo(SEGMENTS);
                assertThat(schema.queryLong("SELECT count(*) FROM segrel_outbox")).isEqualTo(1);
                TaskQueue completed = new SqsTaskQueue(TestingSqs.client(), queues.completed(), Optional.empty(),
                        Duration.ofSeconds(30));
                List<TaskQueue.QueuedMessage> messages = new ArrayList<>(Awaiting.until(
                        () -> completed.receive(10, Duration.ofSeconds(1)), m -> !m.isEmpty(), Duration.ofSeconds(30)));
                messages.addAll(completed.receive(10, Duration.ofSeconds(1)));
                assertThat(messages).hasSize(1);
            } finally {
                victim.destroyForcibly();
                if (survivor != null) {
                    survivor.destroy(); // SIGTERM: graceful
                    assertThat(survivor.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(survivor.exitValue()).as(Files.readString(survivorLog)).isZero();
                    // started without --sun-misc-unsafe-memory-access: neither Guice nor Guava may need it
                    assertThat(Files.readString(survivorLog)).doesNotContain("sun.misc.Unsafe");
                    // LOG_FORMAT=json: one JSON object per line, task lines with job, segment and attempt
                    List<String> lines = Files.readAllLines(survivorLog).stream()
                            .filter(line -> !line.startsWith("WARNING: ")) // the JVM's own, not the worker's logs
                            .toList();
                    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
                    assertThat(lines).anySatisfy(line -> assertThat(line)
                            .contains("\"job_id\":\"" + job + "\"", "\"segment_id\":\"r", "\"attempt\":\""));
                }
            }
        }
    }
}
