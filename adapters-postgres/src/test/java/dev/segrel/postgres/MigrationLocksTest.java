package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.postgres.PostgresMigrator.MigrationReport;
import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.postgres.DeployedTables.Layout;
import dev.segrel.testkit.postgres.LiveTraffic;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The bounded lock waits: tried again with growing pauses, then one line naming the table; progress kept. */
class MigrationLocksTest {

    @Test
    void aTableHeldThroughEveryAttemptFailsWithOneLineNamingItAndTheNextRunGoesOn() throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        DeployedTables.create(schema, Layout.V1);
        LiveTraffic.fill(schema, Layout.V1, 2, 10);
        List<Duration> pauses = new ArrayList<>();
        PostgresMigrator migrator = migrator(schema, pauses);

        try (Connection holder = schema.connect()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE segment_tasks IN ACCESS SHARE MODE");
            }

            assertThatThrownBy(migrator::migrate)
                    .isInstanceOf(MigrationLockException.class)
                    .hasMessage("could not lock segment_tasks: other sessions held it through 4 attempts of 50 ms each"
                            + " (SEGREL_MIGRATE_LOCK_TIMEOUT_MS); what was done before is kept: run segrel migrate again"
                            + " once the long transaction on it has ended (pg_stat_activity shows it)");
            // a growing pause between attempts lets the statements queued behind each one through
            assertThat(pauses).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
            // the job table's step was done and is kept; the task table is as it was
            assertThat(schema.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'root_jobs'::regclass"
                    + " AND attname = 'failed_segments'")).isEqualTo(1);
            assertThat(schema.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'segment_tasks'::regclass"
                    + " AND attname = 'lease_token'")).isZero();
            holder.commit();
        }

        MigrationReport report = migrator.migrate();

        assertThat(report.adoptedLegacySchema()).isTrue();
        assertThat(report.lockRetries()).isZero();
        assertThat(migrator.status().upToDate()).isTrue();
    }

    @Test
    void theLockTimeoutComesFromTheSettingAndBoundsEachWait() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        PostgresConfig config = PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(1).withMigrateLockTimeoutMillis(1234);
        try (Postgres postgres = Postgres.connect(config, "locks-test")) {
            PostgresMigrator migrator = postgres.migrator();
            assertThat(migrator.lockTimeout()).isEqualTo(Duration.ofMillis(1234));
        }
        assertThat(LockWaits.of(Duration.ofMillis(1234)).setting()).isEqualTo("SET lock_timeout = '1234ms'");
    }

    @Test
    void theOutboxAnAdoptionCreatesIsTheOneTheScriptsCreate() throws Exception {
        TestingPostgres.Schema scripted = TestingPostgres.shared().freshSchema();
        TestingPostgres.Schema adopted = TestingPostgres.shared().freshSchema();
        DeployedTables.create(adopted, Layout.V1);

        migrator(scripted, new ArrayList<>()).migrate();
        MigrationReport report = migrator(adopted, new ArrayList<>()).migrate();

        assertThat(report.adoptedLegacySchema()).isTrue();
        assertThat(outboxColumns(adopted)).isNotEmpty().isEqualTo(outboxColumns(scripted));
    }

    private static List<String> outboxColumns(TestingPostgres.Schema schema) throws Exception {
        List<String> columns = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT column_name, data_type, is_nullable,"
                        + " coalesce(column_default, '') FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() AND table_name = 'segrel_outbox'"
                        + " ORDER BY ordinal_position")) {
            while (rows.next()) {
                columns.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " " + rows.getString(4));
            }
        }
        return columns;
    }

    private static PostgresMigrator migrator(TestingPostgres.Schema schema, List<Duration> pauses) {
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setURL(schema.jdbcUrl());
        return new PostgresMigrator(direct, Optional.empty(),
                () -> new LockWaits(Duration.ofMillis(50), 4, Duration.ofMillis(10), pauses::add));
    }
}
