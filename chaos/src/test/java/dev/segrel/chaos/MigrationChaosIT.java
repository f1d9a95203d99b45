package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.cli.Main;
import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.postgres.DeployedTables.Layout;
import dev.segrel.testkit.postgres.LiveTraffic;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.process.JvmProcesses;
import dev.segrel.testkit.time.Awaiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Legacy migration under a live producer: a deployed v1 layout of {@link #TASKS} task rows (1,000,000 with
 * {@code -Dchaos.full=true}) is adopted by {@code segrel migrate}, run as its own process, while the deployed
 * producer keeps inserting jobs and their task rows and a reader keeps selecting, and a long report holds
 * the job table for {@link #REPORT} after the migration has queued for it. No producer statement may wait more than 2 s; every row is kept, none
 * doubled, none left IN_PROGRESS without a lease; migrate exits 0 and prints no password.
 */
class MigrationChaosIT {

    static final int TASKS = Integer.getInteger("chaos.migration.tasks", ChaosRig.FULL ? 1_000_000 : 50_000);
    static final int TASKS_PER_JOB = 1_000;
    static final Duration REPORT = Duration.ofSeconds(3);
    static final double MAX_WAIT_MILLIS = 2_000;
    private static final String PASSWORD = "chaos-migrate-pw-7f3a";

    /** Lock requests on the job table that wait (the migration's, and statements queued behind it). */
    private static long waitingLocks(TestingPostgres.Schema schema) {
        return schema.queryLong("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted AND n.nspname = '" + schema.name()
                + "' AND c.relname = 'root_jobs'");
    }

    /** {@code segrel migrate} as its own process: the CLI's {@link Main} with that one command. */
    static final class Migrate {
        private Migrate() {}

        public static void main(String[] args) {
            Main.main(new String[] {"migrate", "--json"});
        }
    }

    @Test
    void aLargeLegacyTableIsAdoptedWhileTheProducerAndAReaderGoOn() throws Exception {
        ChaosRig rig = ChaosRig.get();
        Instant started = Instant.now();
        String url = rig.postgres.freshSchemaUrl();
        String schemaName = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        TestingPostgres.Schema schema = new TestingPostgres.Schema(schemaName, url);
        DeployedTables.create(schema, Layout.V1);
        LiveTraffic.fill(schema, Layout.V1, TASKS / TASKS_PER_JOB, TASKS_PER_JOB);
        long jobsBefore = schema.queryLong("SELECT count(*) FROM root_jobs");
        long tasksBefore = schema.queryLong("SELECT count(*) FROM segment_tasks");

        Path log = JvmProcesses.logFile(Path.of("target", "chaos-logs", "migration"), "migrate");
        int exit;
        LiveTraffic.Latencies producer;
        LiveTraffic.Latencies reader;
        long producedDuring;
        Duration migrateTook;
        try (LiveTraffic traffic = LiveTraffic.start(schema, Layout.V1, 10)) {
            Awaiting.until(traffic::jobs, n -> n >= 20, Duration.ofSeconds(60));
            LiveTraffic.Latencies warm = traffic.producer();
            long jobsAtStart = traffic.jobs();
            Instant migrateStart = Instant.now();
            try (Connection report = schema.connect()) {
                report.setAutoCommit(false);
                try (Statement s = report.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM root_jobs").close();
                }
                Map<String, String> env = new HashMap<>();
                env.put("POSTGRES_URL", url + "&password=" + PASSWORD);
                Process migrate = JvmProcesses.start(Migrate.class.getName(), "256m", env, log);
                // the migration queues for the job table the report holds: each wait is bounded, then tried again
                Awaiting.until(() -> waitingLocks(schema), n -> n > 0, Duration.ofMinutes(2));
                Awaiting.hold(REPORT);
                report.commit();
                assertThat(migrate.waitFor(10, TimeUnit.MINUTES)).as("migrate ended").isTrue();
                exit = migrate.exitValue();
            }
            migrateTook = Duration.between(migrateStart, Instant.now());
            producedDuring = traffic.jobs() - jobsAtStart;
            producer = traffic.producer();
            reader = traffic.reader();
            assertThat(warm.statements()).isPositive();
        }
        String output = Files.readString(log);

        assertThat(exit).as(output).isZero();
        assertThat(output).doesNotContain(PASSWORD).contains("\"adopted_legacy_schema\":true");
        java.util.regex.Matcher retries = java.util.regex.Pattern.compile("\"lock_retries\":(\\d+)").matcher(output);
        assertThat(retries.find()).as(output).isTrue();
        assertThat(producer.maxMillis()).as("longest producer statement (ms)").isLessThan(MAX_WAIT_MILLIS);
        assertThat(producedDuring).as("jobs the producer committed while migrate ran").isPositive();
        long jobsAfter = schema.queryLong("SELECT count(*) FROM root_jobs");
        long tasksAfter = schema.queryLong("SELECT count(*) FROM segment_tasks");
        long lost = (jobsBefore + producedDuring) - jobsAfter > 0 ? (jobsBefore + producedDuring) - jobsAfter : 0;
        long doubled = schema.queryLong("SELECT count(*) FROM (SELECT 1 FROM segment_tasks GROUP BY job_id, segment_id"
                + " HAVING count(*) > 1) d");
        long stranded = schema.queryLong("SELECT count(*) FROM segment_tasks WHERE status = 'IN_PROGRESS'"
                + " AND lease_expires_at IS NULL");
        assertThat(jobsAfter).isGreaterThanOrEqualTo(jobsBefore + producedDuring);
        assertThat(tasksAfter).isGreaterThanOrEqualTo(tasksBefore + producedDuring * 10);
        assertThat(lost).isZero();
        assertThat(doubled).isZero();
        assertThat(stranded).isZero();
        assertThat(schema.queryLong("SELECT count(*) FROM root_jobs WHERE job_id IN (SELECT job_id FROM segment_tasks"
                + " WHERE segment_id LIKE 's%') AND completed_segments <> " + TASKS_PER_JOB / 4)).isZero();
        assertThat(schema.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid AND indrelid ="
                + " to_regclass('segment_tasks')")).isZero();

        new Figures("Legacy migration under a live producer")
                .put("legacy task rows", tasksBefore)
                .put("legacy jobs", jobsBefore)
                .put("report holding the job table at start (s)", REPORT.toSeconds())
                .put("migrate exit code", exit)
                .put("lock waits that ran out and were tried again", retries.group(1))
                .put("migrate wall time (s)", String.format(java.util.Locale.ROOT, "%.1f", migrateTook.toMillis() / 1000.0))
                .put("producer jobs committed during migrate", producedDuring)
                .put("producer statements timed", producer.statements())
                .put("producer max wait (ms)", String.format(java.util.Locale.ROOT, "%.0f", producer.maxMillis()))
                .put("producer p99 (ms)", String.format(java.util.Locale.ROOT, "%.1f", producer.p99Millis()))
                .put("reader max (ms)", String.format(java.util.Locale.ROOT, "%.0f", reader.maxMillis()))
                .put("reader p99 (ms)", String.format(java.util.Locale.ROOT, "%.1f", reader.p99Millis()))
                .put("lost rows", lost)
                .put("doubled (job, segment)", doubled)
                .put("stranded IN_PROGRESS without lease", stranded)
                .put("crashes", exit == 0 ? 0 : 1)
                .put("secrets in output", output.contains(PASSWORD) ? 1 : 0)
                .write(Duration.between(started, Instant.now()));
    }
}
