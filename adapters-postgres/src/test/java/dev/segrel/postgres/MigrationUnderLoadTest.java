package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.postgres.PostgresMigrator.MigrationReport;
import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.postgres.DeployedTables.Layout;
import dev.segrel.testkit.postgres.LiveTraffic;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.time.Awaiting;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Adopting a deployed layout while its producer and a reader go on: the migration never makes them queue
 * behind a lock it waits for, builds what a crash left half-built again, and takes up a run that stopped
 * halfway. (The timing figure, no producer statement over 2 s on a large table, is {@code MigrationChaosIT}'s.)
 */
class MigrationUnderLoadTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"V1", "CURRENT"})
    void theProducerGoesOnWhileALongReportHoldsTheJobTableAndTheMigrationWaitsForIt(Layout layout) throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables.create(schema, layout);
        LiveTraffic.fill(schema, layout, 20, 1_000);

        // the report is closed first: a producer held behind a lock (old behaviour) is freed before it is joined
        try (LiveTraffic traffic = LiveTraffic.start(schema, layout, 10);
                Connection report = schema.connect()) {
            report.setAutoCommit(false);
            try (Statement s = report.createStatement()) {
                // a long report: its transaction holds the job table (ACCESS SHARE) until it commits
                s.executeQuery("SELECT count(*) FROM " + layout.jobTable()).close();
            }
            Awaiting.until(traffic::jobs, n -> n >= 5, PATIENCE);
            CompletableFuture<MigrationReport> migration = CompletableFuture.supplyAsync(() -> {
                try (Postgres postgres = connect(schema)) {
                    return postgres.migrator().migrate();
                }
            });
            // the migration has queued for a lock the report holds (the producer behind it, for a while)
            Awaiting.until(() -> waitingLocks(schema, layout), n -> n > 0, PATIENCE);
            long before = traffic.jobs();

            // while the report still holds the table, the producer's jobs keep being committed
            Awaiting.until(traffic::jobs, n -> n >= before + 20, PATIENCE);
            assertThat(migration).isNotDone();

            report.commit();
            MigrationReport done = migration.get(120, TimeUnit.SECONDS);
            long after = traffic.jobs();
            Awaiting.until(traffic::jobs, n -> n >= after + 5, PATIENCE);

            assertThat(done.adoptedLegacySchema()).isTrue();
            assertThat(traffic.failure()).isNull();
            assertThat(traffic.reads()).isPositive();
        }
        // every job the producer wrote, and the filled ones, are there, seen through the store's view too
        assertThat(schema.queryLong("SELECT count(*) FROM root_job"))
                .isEqualTo(schema.queryLong("SELECT count(*) FROM " + layout.jobTable()))
                .isGreaterThan(20 + 30);
    }

    @Test
    void indexesLeftInvalidByACrashedConcurrentBuildAreBuiltAgain() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables.create(schema, Layout.V1);
        LiveTraffic.fill(schema, Layout.V1, 2, 50);
        // what a CREATE INDEX CONCURRENTLY that died halfway leaves: the index, marked invalid
        schema.execute("ALTER TABLE segment_tasks ADD COLUMN lease_expires_at timestamptz",
                "CREATE UNIQUE INDEX segment_tasks_job_segment_key ON segment_tasks (job_id, segment_id)",
                "CREATE INDEX segment_tasks_lease_expiry ON segment_tasks (lease_expires_at) WHERE status = 'IN_PROGRESS'",
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid IN (to_regclass('segment_tasks_job_segment_key'),"
                        + " to_regclass('segment_tasks_lease_expiry'))");

        try (Postgres postgres = connect(schema)) {
            postgres.migrator().migrate();
        }

        assertThat(schema.queryLong("SELECT count(*) FROM pg_index WHERE indexrelid IN"
                + " (to_regclass('segment_tasks_job_segment_key'), to_regclass('segment_tasks_lease_expiry')) AND indisvalid"))
                .isEqualTo(2);
    }

    @Test
    void anAdoptionThatStoppedHalfwayGoesOnWhereItStopped() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables deployed = DeployedTables.create(schema, Layout.V1);
        LiveTraffic.fill(schema, Layout.V1, 3, 100);
        // a run that crashed after its catalog changes, before validating the CHECK and building the indexes
        schema.execute("ALTER TABLE root_jobs ADD COLUMN failed_segments integer NOT NULL DEFAULT 0",
                "ALTER TABLE segment_tasks ADD COLUMN span_start integer, ADD COLUMN span_end integer,"
                        + " ADD COLUMN attempts integer NOT NULL DEFAULT 0, ADD COLUMN lease_owner varchar,"
                        + " ADD COLUMN lease_expires_at timestamptz, ADD COLUMN lease_token bigint NOT NULL DEFAULT 0,"
                        + " ADD CONSTRAINT segment_tasks_span_valid CHECK ((span_start IS NULL AND span_end IS NULL)"
                        + " OR (span_start >= 0 AND span_start < span_end)) NOT VALID");

        try (Postgres postgres = connect(schema)) {
            MigrationReport report = postgres.migrator().migrate();

            assertThat(report.adoptedLegacySchema()).isTrue();
            assertThat(postgres.migrator().status().upToDate()).isTrue();
        }
        assertThat(schema.queryString("SELECT convalidated::text FROM pg_constraint WHERE conname = 'segment_tasks_span_valid'"
                + " AND conrelid = to_regclass('segment_tasks')")).isEqualTo("true");
        // the counters of the filled jobs were recomputed: a quarter of each job's 100 tasks is COMPLETED
        assertThat(schema.queryString("SELECT string_agg(DISTINCT completed_segments::text, ',') FROM root_jobs")).isEqualTo("25");
        assertThat(schema.queryLong("SELECT count(*) FROM segment_tasks WHERE status = 'IN_PROGRESS'"
                + " AND lease_expires_at IS NULL")).isZero();
        assertThat(deployed.submit("M-after", java.util.List.of("a"))).isNotNull();
    }

    @Test
    void aDatabaseTheFirstMigrationAdoptedKeepsItsHistoryAndIsNotMigratedAgain() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables.create(schema, Layout.V1);
        LiveTraffic.fill(schema, Layout.V1, 2, 10);
        // adopted as segrel did before the online adoption: V1 run by Flyway, from a baseline at 0
        Flyway.configure()
                .dataSource(schema.jdbcUrl(), null, null)
                .locations(TableLayout.V1.locations().toArray(String[]::new))
                .placeholders(TableLayout.V1.placeholders())
                .table(PostgresMigrator.HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .group(true)
                .load()
                .migrate();
        String history = schema.queryString("SELECT string_agg(version || ':' || coalesce(checksum::text, '-'), ','"
                + " ORDER BY installed_rank) FROM " + PostgresMigrator.HISTORY_TABLE);

        try (Postgres postgres = connect(schema)) {
            MigrationReport report = postgres.migrator().migrate();

            assertThat(report.applied()).isZero();
            assertThat(report.adoptedLegacySchema()).isFalse();
            assertThat(report.layout()).isEqualTo(TableLayout.V1);
        }
        assertThat(schema.queryString("SELECT string_agg(version || ':' || coalesce(checksum::text, '-'), ','"
                + " ORDER BY installed_rank) FROM " + PostgresMigrator.HISTORY_TABLE)).isEqualTo(history).contains("1:");
    }

    /** Lock requests on the layout's tables that wait. */
    static long waitingLocks(TestingPostgres.Schema schema, Layout layout) {
        return schema.queryLong("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted AND n.nspname = '" + schema.name()
                + "' AND c.relname IN ('" + layout.jobTable() + "', '" + layout.taskTable() + "')");
    }

    static Postgres connect(TestingPostgres.Schema schema) {
        return Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2), "migration-test");
    }
}
