package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.postgres.PostgresMigrator.MigrationReport;
import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.postgres.DeployedTables.Layout;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Legacy rows adoption does not expect: duplicates, null counters, jobs left unfinished, an old server. */
class LegacyRowsTest {

    private static final String RESULT = StoreDatabase.RESULT;

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"V1", "V1_FROM_MODELS"})
    void keepNewestKeepsTheLatestRowOfEachPairAndSaysHowManyItDeleted(Layout layout) {
        DeployedTables v1 = DeployedTables.create(TestingPostgres.shared().freshSchema(), layout);
        TestingPostgres.Schema schema = v1.schema();
        UUID job = v1.submit("M1", List.of("a", "b"));
        // 'a' written three times by the deployed claim: the COMPLETED one was written last
        schema.execute("INSERT INTO segment_tasks (task_id, job_id, segment_id, status, created_at, updated_at) VALUES"
                + " (gen_random_uuid(), '" + job + "', 'a', 'IN_PROGRESS', TIMESTAMP '2025-11-01 10:00', TIMESTAMP '2025-11-01 10:05'),"
                + " (gen_random_uuid(), '" + job + "', 'a', 'COMPLETED', TIMESTAMP '2025-11-01 10:00', TIMESTAMP '2025-11-01 10:09'),"
                + " (gen_random_uuid(), '" + job + "', 'b', 'QUEUED', NULL, NULL)");
        schema.execute("UPDATE segment_tasks SET updated_at = TIMESTAMP '2025-11-01 10:01' WHERE segment_id = 'a'"
                + " AND status = 'QUEUED'");
        String newestB = schema.queryString("SELECT task_id::text FROM segment_tasks WHERE segment_id = 'b' AND updated_at IS NOT NULL");

        try (Postgres postgres = MigrationUnderLoadTest.connect(schema)) {
            MigrationReport report = postgres.migrator().migrate(true);

            assertThat(report.duplicatesDeleted()).isEqualTo(3);
            assertThat(report.rowsSummary()).isEqualTo("deleted 3 duplicate task row(s), keeping the newest of each");
        }
        assertThat(schema.queryString("SELECT string_agg(segment_id || ':' || status, ',' ORDER BY segment_id) FROM segment_tasks"))
                .isEqualTo("a:COMPLETED,b:QUEUED");
        assertThat(schema.queryString("SELECT task_id::text FROM segment_tasks WHERE segment_id = 'b'")).isEqualTo(newestB);
        assertThat(schema.queryString("SELECT completed_segments FROM root_jobs WHERE job_id = '" + job + "'")).isEqualTo("1");
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"V1", "CURRENT"})
    void nullCountersAreRecomputedFromTheTaskRows(Layout layout) {
        DeployedTables deployed = DeployedTables.create(TestingPostgres.shared().freshSchema(), layout);
        TestingPostgres.Schema schema = deployed.schema();
        UUID job = deployed.submit("M1", List.of("a", "b", "c"));
        if (layout == Layout.CURRENT) {
            deployed.workerStores(job, "M1", "a", RESULT);
            deployed.workerStores(job, "M1", "b", RESULT);
            schema.execute("INSERT INTO segment_mapping (task_id, root_job_id, text_id, segment_id, status)"
                    + " VALUES (gen_random_uuid(), '" + job + "', 'M1', 'c', 'FAILED')");
        } else {
            deployed.workerStores(job, "M1", "a", RESULT);
            deployed.workerStores(job, "M1", "b", RESULT);
            schema.execute("UPDATE segment_tasks SET status = 'FAILED' WHERE segment_id = 'c'");
        }
        // v1's total_segments is NOT NULL; current's may be null
        schema.execute("UPDATE root_jobs SET " + (layout == Layout.CURRENT ? "total_segments = NULL, " : "")
                + "completed_segments = NULL WHERE job_id = '" + job + "'");

        try (Postgres postgres = MigrationUnderLoadTest.connect(schema)) {
            postgres.migrator().migrate();
        }

        assertThat(schema.queryString("SELECT total_segments || '/' || completed_segments || '/' || failed_segments"
                + " FROM root_jobs WHERE job_id = '" + job + "'")).isEqualTo("3/2/1");
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"README", "V1", "CURRENT"})
    void aJobWhoseTasksAllEndedIsFinishedWithItsCompletionMessage(Layout layout) {
        DeployedTables deployed = DeployedTables.create(TestingPostgres.shared().freshSchema(), layout);
        TestingPostgres.Schema schema = deployed.schema();
        UUID done = deployed.submit("M1", List.of("a", "b"));
        UUID failed = deployed.submit("M2", List.of("a", "b"));
        UUID running = deployed.submit("M3", List.of("a", "b"));
        for (UUID job : List.of(done, failed, running)) {
            deployed.workerStores(job, "M" + (job == done ? 1 : job == failed ? 2 : 3), "a", RESULT);
        }
        deployed.workerStores(done, "M1", "b", RESULT);
        String task = layout.taskTable();
        String taskJob = layout == Layout.CURRENT ? "root_job_id" : "job_id";
        if (layout == Layout.CURRENT) {
            schema.execute("INSERT INTO segment_mapping (task_id, root_job_id, text_id, segment_id, status)"
                    + " VALUES (gen_random_uuid(), '" + failed + "', 'M2', 'b', 'FAILED')");
        } else {
            schema.execute("UPDATE " + task + " SET status = 'FAILED', error_message = 'boom' WHERE " + taskJob + " = '"
                    + failed + "' AND segment_id = 'b'");
        }
        // never marked done by the deployed worker
        schema.execute("UPDATE " + layout.jobTable() + " SET status = 'IN_PROGRESS'");

        long finished;
        try (Postgres postgres = MigrationUnderLoadTest.connect(schema)) {
            finished = postgres.migrator().migrate().jobsFinished();
            // a second run finds nothing left to finish
            assertThat(postgres.migrator().migrate().jobsFinished()).isZero();
        }

        assertThat(finished).isEqualTo(2);
        assertThat(status(schema, layout, done)).isEqualTo("COMPLETED 2/0");
        assertThat(status(schema, layout, failed)).isEqualTo("FAILED 1/1");
        assertThat(status(schema, layout, running)).isEqualTo("IN_PROGRESS 1/0");
        assertThat(schema.queryString("SELECT body FROM segrel_outbox WHERE message_id = 'job-completed:" + done + "'"))
                .isEqualTo("{\"job_id\":\"" + done + "\",\"manifestation_id\":\"M1\",\"status\":\"COMPLETED\","
                        + "\"total_segments\":2,\"completed_segments\":2,\"failed_segments\":0}");
        assertThat(schema.queryString("SELECT body FROM segrel_outbox WHERE message_id = 'job-completed:" + failed + "'"))
                .contains("\"status\":\"FAILED\"").contains("\"failed_segments\":1");
        assertThat(schema.queryLong("SELECT count(*) FROM segrel_outbox WHERE destination = 'completed'")).isEqualTo(2);
    }

    @Test
    void aServerOlderThan13IsRefusedNamingBothVersions() {
        assertThatThrownBy(() -> ServerVersion.check(120017, "12.17 (Debian 12.17-1.pgdg120+1)"))
                .isInstanceOf(LayoutException.class)
                .hasMessage("segrel needs PostgreSQL >= 13; this server is 12.17 (upgrade it, or point POSTGRES_URL at a"
                        + " newer one)");
        ServerVersion.check(130000, "13.0");
        ServerVersion.check(170002, "17.2");
    }

    @Test
    void theTestServerIsNewEnoughAndMigrateChecksIt() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        assertThat(schema.queryLong("SELECT current_setting('server_version_num')::int")).isGreaterThanOrEqualTo(130000);
        try (Postgres postgres = MigrationUnderLoadTest.connect(schema)) {
            // what a worker that does not migrate at start checks
            postgres.migrator().requireSupportedServer();
            assertThat(postgres.migrator().migrate().applied()).isPositive();
        }
    }

    private static String status(TestingPostgres.Schema schema, Layout layout, UUID job) {
        return schema.queryString("SELECT status::text || ' ' || completed_segments || '/' || failed_segments FROM "
                + layout.jobTable() + " WHERE job_id = '" + job + "'");
    }
}
