package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.TaskClaims.Claimed;
import dev.segrel.core.port.out.TaskCompletions.Completed;
import dev.segrel.postgres.PostgresMigrator.MigrationReport;
import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.postgres.DeployedTables.ConsumerRow;
import dev.segrel.testkit.postgres.DeployedTables.Layout;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * segrel migrate finds which of the three layouts a database holds and adopts it in place: the deployed
 * tables keep every row, column, constraint and index, the deployed producer, worker and consumer keep
 * working, and the store works through its views.
 */
class TableLayoutTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String RESULT = StoreDatabase.RESULT;

    // ------------------------------------------------------------------------------------------ detection

    @Test
    void anEmptySchemaGetsSegrelsOwnTablesInTheReadmeLayout() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        try (Postgres postgres = connect(schema)) {
            assertThat(postgres.migrator().layout()).isEqualTo(new PostgresMigrator.LayoutStatus(TableLayout.README, false));

            MigrationReport report = postgres.migrator().migrate();

            assertThat(report.layout()).isEqualTo(TableLayout.README);
            assertThat(report.adoptedLegacySchema()).isFalse();
            assertThat(postgres.migrator().layout()).isEqualTo(new PostgresMigrator.LayoutStatus(TableLayout.README, true));
            assertThat(schema.queryString("SELECT string_agg(layout, ',') FROM segrel_layout")).isEqualTo("readme");
            assertThat(relkind(schema, "root_job")).isEqualTo("r");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void eachDeployedLayoutIsAdoptedInPlaceAndRecordedAndTheGuidesRollbackLeavesItAsItWas(Layout layout) throws IOException {
        DeployedTables deployed = withRows(layout);
        TestingPostgres.Schema schema = deployed.schema();
        TableLayout expected = TableLayout.fromKey(layout.key()).orElseThrow();
        List<String> catalogBefore = catalog(schema, layout);
        String rowsBefore = rows(schema, layout, catalogBefore);

        try (Postgres postgres = connect(schema)) {
            assertThat(postgres.migrator().layout()).isEqualTo(new PostgresMigrator.LayoutStatus(expected, false));
            MigrationReport first = postgres.migrator().migrate();
            List<String> catalogAfterFirst = catalog(schema, layout);
            MigrationReport second = postgres.migrator().migrate();

            assertThat(first.layout()).isEqualTo(expected);
            // V2 to V6, R__<layout>_layout; V1 is Flyway's baseline: the online adoption did what it does
            assertThat(first.applied()).isEqualTo(6);
            assertThat(schema.queryString("SELECT type FROM " + PostgresMigrator.HISTORY_TABLE + " WHERE version = '1'"))
                    .isEqualTo("BASELINE");
            assertThat(first.fromVersion()).isEqualTo("0");
            assertThat(first.adoptedLegacySchema()).isTrue();
            assertThat(first.toString()).contains("adopted the deployed " + expected.describe() + " layout");
            assertThat(second.applied()).isZero();
            assertThat(second.toString()).contains(expected.describe());
            assertThat(postgres.migrator().layout()).isEqualTo(new PostgresMigrator.LayoutStatus(expected, true));
            assertThat(postgres.migrator().status().upToDate()).isTrue();
            assertThat(schema.queryString("SELECT string_agg(layout, ',') FROM segrel_layout")).isEqualTo(layout.key());
            assertThat(schema.queryString("SELECT string_agg(description, ' / ' ORDER BY installed_rank) FROM "
                            + PostgresMigrator.HISTORY_TABLE))
                    .contains(layout.key() + " layout");
            // every deployed column, constraint, default and index is still there, under its name; every row too
            assertThat(catalogAfterFirst).containsAll(catalogBefore);
            assertThat(catalog(schema, layout)).isEqualTo(catalogAfterFirst);
            assertThat(rows(schema, layout, catalogBefore)).isEqualTo(rowsBefore);
            if (layout != Layout.README) {
                assertThat(relkind(schema, "root_job")).isEqualTo("v");
                assertThat(relkind(schema, "segment_task")).isEqualTo("v");
            }
            if (layout != Layout.V1_FROM_MODELS) {
                assertThat(schema.queryLong("SELECT count(*) FROM alembic_version")).isEqualTo(1);
            }
            // segrel's workers and the deployed producer write rows: a rollback keeps them
            postgres.jobs().createJob(new NewJob(JobId.random(), "S1", List.of(new NewTask("s1", Span.of(0, 5)))), T0);
            deployed.submit("P1", List.of("p1"));
        }
        String rowsBeforeRollback = rows(schema, layout, catalogBefore);

        schema.execute(rollbackSql(layout.key()));

        assertThat(catalog(schema, layout)).isEqualTo(catalogBefore);
        assertThat(rows(schema, layout, catalogBefore)).isEqualTo(rowsBeforeRollback);
        assertThat(schema.queryLong("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = current_schema() AND (c.relname LIKE 'segrel%' OR c.relkind = 'v')")).isZero();
        assertThat(schema.queryLong("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = current_schema() AND p.proname LIKE 'segrel%'")).isZero();
    }

    @Test
    void twoLayoutsInOneSchemaAreRefusedWithOneLineSayingWhatWasFoundAndNothingChanges() {
        DeployedTables readme = DeployedTables.create(TestingPostgres.shared().freshSchema(), Layout.README);
        TestingPostgres.Schema schema = readme.schema();
        schema.execute("CREATE TABLE root_jobs (job_id uuid PRIMARY KEY, manifestation_id text NOT NULL)",
                "CREATE TABLE segment_tasks (task_id uuid PRIMARY KEY, job_id uuid REFERENCES root_jobs, segment_id text)");

        try (Postgres postgres = connect(schema)) {
            assertThatThrownBy(() -> postgres.migrator().migrate())
                    .isInstanceOf(LayoutException.class)
                    .hasMessage("found root_job/segment_task (readme) and root_jobs/segment_tasks (v1) in schema " + schema.name()
                            + ": set SEGREL_TABLE_LAYOUT to the layout to adopt (readme or v1)");
            assertThatThrownBy(() -> postgres.migrator().layout()).isInstanceOf(LayoutException.class);
            assertThatThrownBy(() -> postgres.migrator().status()).isInstanceOf(LayoutException.class);
        }
        assertThat(exists(schema, PostgresMigrator.HISTORY_TABLE)).isFalse();
    }

    @Test
    void aSchemaWithOnlyPartOfALayoutIsRefusedSayingSo() {
        TestingPostgres.Schema jobsOnly = TestingPostgres.shared().freshSchema();
        jobsOnly.execute("CREATE TABLE root_jobs (job_id uuid PRIMARY KEY, text_id text NOT NULL)");
        TestingPostgres.Schema tasksOnly = TestingPostgres.shared().freshSchema();
        tasksOnly.execute("CREATE TABLE segment_task (task_id uuid PRIMARY KEY, job_id uuid, segment_id text)");

        try (Postgres jobs = connect(jobsOnly);
                Postgres tasks = connect(tasksOnly)) {
            assertThatThrownBy(() -> jobs.migrator().migrate())
                    .isInstanceOf(LayoutException.class)
                    .hasMessageStartingWith("found only root_jobs (with text_id) in schema " + jobsOnly.name()
                            + ", which is none of the table layouts readme (root_job/segment_task), v1 (root_jobs/segment_tasks),"
                            + " current (root_jobs/segment_mapping)")
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> tasks.migrator().migrate())
                    .isInstanceOf(LayoutException.class)
                    .hasMessageStartingWith("found only segment_task in schema " + tasksOnly.name());
        }
        assertThat(exists(jobsOnly, PostgresMigrator.HISTORY_TABLE)).isFalse();
        assertThat(exists(tasksOnly, "root_job")).isFalse();
    }

    @Test
    void theConfiguredLayoutDecidesBetweenTwoAndLeavesTheOtherAlone() {
        DeployedTables v1 = withRows(Layout.V1);
        TestingPostgres.Schema schema = v1.schema();
        schema.execute("CREATE TABLE root_job (job_id uuid PRIMARY KEY, manifestation_id varchar NOT NULL,"
                + " total_segments integer NOT NULL, completed_segments integer, status varchar NOT NULL,"
                + " created_at timestamp, updated_at timestamp)");
        List<String> v1Catalog = catalog(schema, Layout.V1);

        try (Postgres postgres = connect(schema, TableLayout.README)) {
            MigrationReport report = postgres.migrator().migrate();

            assertThat(report.layout()).isEqualTo(TableLayout.README);
            assertThat(relkind(schema, "segment_task")).isEqualTo("r");
            assertThat(catalog(schema, Layout.V1)).isEqualTo(v1Catalog);
        }
        // recorded: detection (two layouts) no longer matters
        try (Postgres postgres = connect(schema)) {
            assertThat(postgres.migrator().migrate().applied()).isZero();
        }
    }

    @Test
    void aConfiguredLayoutWhoseTablesAreMissingIsRefused() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        try (Postgres postgres = connect(schema, TableLayout.V1)) {
            assertThatThrownBy(() -> postgres.migrator().migrate())
                    .isInstanceOf(LayoutException.class)
                    .hasMessage("SEGREL_TABLE_LAYOUT is v1 but schema " + schema.name()
                            + " has no root_jobs/segment_tasks with root_jobs.manifestation_id (found none of them)");
        }
    }

    @Test
    void theRecordedLayoutWinsOverDetectionAndOverTheSetting() {
        DeployedTables current = withRows(Layout.CURRENT);
        TestingPostgres.Schema schema = current.schema();
        try (Postgres postgres = connect(schema)) {
            postgres.migrator().migrate();
        }
        // the tables alone would now be ambiguous: current and v1
        schema.execute("CREATE TABLE segment_tasks (task_id uuid PRIMARY KEY, job_id uuid, segment_id text)");

        try (Postgres detecting = connect(schema);
                Postgres configured = connect(schema, TableLayout.V1)) {
            assertThat(detecting.migrator().migrate().layout()).isEqualTo(TableLayout.CURRENT);
            assertThat(detecting.migrator().layout()).isEqualTo(new PostgresMigrator.LayoutStatus(TableLayout.CURRENT, true));
            assertThatThrownBy(() -> configured.migrator().migrate())
                    .isInstanceOf(LayoutException.class)
                    .hasMessage("segrel adopted the current (root_jobs/segment_mapping) layout in schema " + schema.name()
                            + " already; SEGREL_TABLE_LAYOUT=v1 disagrees: unset it, or set it to current");
        }
    }

    @Test
    void aSchemaSegrelMigratedBeforeItRecordedLayoutsIsReadme() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        try (Postgres postgres = connect(schema)) {
            postgres.migrator().migrate();
        }
        // as an older segrel left it: its own tables beside a deployed v1 layout, no record
        schema.execute("DROP TABLE segrel_layout",
                "CREATE TABLE root_jobs (job_id uuid PRIMARY KEY, manifestation_id text NOT NULL)",
                "CREATE TABLE segment_tasks (task_id uuid PRIMARY KEY, job_id uuid, segment_id text)");

        try (Postgres postgres = connect(schema)) {
            assertThat(postgres.migrator().layout()).isEqualTo(new PostgresMigrator.LayoutStatus(TableLayout.README, true));
        }
    }

    // ------------------------------------------------------------------------------------------ adoption

    @Test
    void duplicateTasksAreRefusedWithTheQueryThatListsThemAndAdoptedOnceResolved() {
        DeployedTables v1 = withRows(Layout.V1);
        TestingPostgres.Schema schema = v1.schema();
        UUID job = v1.submit("M9", List.of("d1", "d2"));
        schema.execute("INSERT INTO segment_tasks (task_id, job_id, segment_id, status) VALUES"
                + " (gen_random_uuid(), '" + job + "', 'd1', 'QUEUED'), (gen_random_uuid(), '" + job + "', 'd1', 'COMPLETED'),"
                + " (gen_random_uuid(), '" + job + "', 'd2', 'QUEUED')");
        List<String> before = catalog(schema, Layout.V1);
        String query = "SELECT job_id, segment_id, count(*) FROM segment_tasks GROUP BY job_id, segment_id HAVING count(*) > 1";

        try (Postgres postgres = connect(schema)) {
            String resolve = "DELETE FROM segment_tasks t USING (SELECT ctid, row_number() OVER (PARTITION BY job_id,"
                    + " segment_id ORDER BY updated_at DESC NULLS LAST, created_at DESC NULLS LAST, ctid DESC) AS n FROM"
                    + " segment_tasks) d WHERE t.ctid = d.ctid AND d.n > 1";
            assertThatThrownBy(() -> postgres.migrator().migrate())
                    .isInstanceOf(LayoutException.class)
                    .hasMessage("segment_tasks has 2 (job_id, segment_id) pair(s) with more than one row (3 row(s) too many),"
                            + " e.g. job " + job + " segment 'd1' (3 rows), job " + job + " segment 'd2' (2 rows);"
                            + " list them with: " + query + "; keep one row of each pair, e.g. the newest with: " + resolve
                            + " (or run segrel migrate --keep-newest, which does that), then run segrel migrate again"
                            + " (nothing was changed)");
            assertThat(catalog(schema, Layout.V1)).isEqualTo(before);
            assertThat(exists(schema, "segrel_layout")).isFalse();
            assertThat(exists(schema, PostgresMigrator.HISTORY_TABLE)).isFalse();
            assertThatThrownBy(() -> postgres.migrator().layout()).isInstanceOf(LayoutException.class)
                    .hasMessageContaining(query);
            assertThat(schema.queryLong("SELECT count(*) FROM (" + query + ") d")).isEqualTo(2);

            // the statement the line gives resolves them
            schema.execute(resolve);
            assertThat(schema.queryLong("SELECT count(*) FROM (" + query + ") d")).isZero();
            MigrationReport report = postgres.migrator().migrate();

            assertThat(report.layout()).isEqualTo(TableLayout.V1);
            assertThat(report.adoptedLegacySchema()).isTrue();
            assertThat(schema.queryString("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                            + " AND indexname = 'segment_tasks_job_segment_key'"))
                    .contains("UNIQUE").contains("(job_id, segment_id)");
        }
    }

    @Test
    void countersAreRecomputedFromTheTasksAndTasksLeftInProgressGetAnExpiredLease() {
        DeployedTables v1 = DeployedTables.create(TestingPostgres.shared().freshSchema(), Layout.V1);
        TestingPostgres.Schema schema = v1.schema();
        UUID nothingDone = v1.submit("M1", List.of("a"));
        UUID doubleCounted = v1.submit("M1", List.of("a", "b", "c"));
        v1.workerStores(doubleCounted, "M1", "a", RESULT);
        schema.execute("UPDATE root_jobs SET completed_segments = NULL WHERE job_id = '" + nothingDone + "'",
                "UPDATE root_jobs SET completed_segments = 2 WHERE job_id = '" + doubleCounted + "'",
                "UPDATE segment_tasks SET status = 'FAILED' WHERE job_id = '" + doubleCounted + "' AND segment_id = 'b'",
                "UPDATE segment_tasks SET status = 'IN_PROGRESS', updated_at = TIMESTAMP '2020-01-01 00:00:00'"
                        + " WHERE job_id = '" + doubleCounted + "' AND segment_id = 'c'");

        try (Postgres postgres = connect(schema)) {
            postgres.migrator().migrate();

            assertThat(schema.queryString("SELECT completed_segments || '/' || failed_segments FROM root_jobs WHERE job_id = '"
                    + nothingDone + "'")).isEqualTo("0/0");
            assertThat(schema.queryString("SELECT completed_segments || '/' || failed_segments FROM root_jobs WHERE job_id = '"
                    + doubleCounted + "'")).isEqualTo("1/1");
            assertThat(schema.queryString("SELECT lease_expires_at FROM segment_tasks WHERE segment_id = 'c' AND job_id = '"
                    + doubleCounted + "'")).isEqualTo("2020-01-01 00:00:00+00");
            // the stranded task is claimable at once
            TaskKey stranded = new TaskKey(new JobId(doubleCounted), "c");
            assertThat(postgres.claims().claim(stranded, Span.of(0, 5), "w1", T0, Duration.ofSeconds(30)))
                    .isInstanceOf(Claimed.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void theDeployedProgramsAndTheStoreWorkSideBySideInUtcWhateverTheJvmsTimeZone(Layout layout) {
        DeployedTables deployed = withRows(layout);
        TestingPostgres.Schema schema = deployed.schema();
        TimeZone jvmZone = TimeZone.getDefault();
        // the driver opens its sessions in the JVM's zone; the deployed columns are timestamps without one
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        try (Postgres postgres = connect(schema)) {
            postgres.migrator().migrate();

            // the deployed producer's and worker's statements, unchanged
            Instant producedAround = Instant.now();
            UUID produced = deployed.submit("P1", List.of("p1", "p2"));
            deployed.workerStores(produced, "P1", "p1", RESULT);
            if (layout != Layout.CURRENT) {
                // segrel takes over the producer's other task, its span from the message
                TaskKey key = new TaskKey(new JobId(produced), "p2");
                Claimed claimed = (Claimed) postgres.claims().claim(key, Span.of(10, 20), "w1", T0, Duration.ofSeconds(30));
                assertThat(claimed.task().manifestationId()).isEqualTo("P1");
                assertThat(postgres.completions().complete(claimed.task().lease(), List.of(), T0))
                        .isEqualTo(new Completed(key, true, JobState.COMPLETED));
                assertThat(postgres.jobs().jobStatus(new JobId(produced)).orElseThrow().completedSegments()).isEqualTo(2);
            } else {
                assertThat(deployed.consumerRead("P1", List.of("p1", "p2"))).containsExactly(new ConsumerRow("p1", RESULT));
            }
            assertThat(postgres.jobs().jobStatus(new JobId(produced)).orElseThrow().createdAt())
                    .isCloseTo(producedAround, within(1, ChronoUnit.MINUTES));

            // segrel's store on the layout's tables
            NewJob job = new NewJob(JobId.random(), "S1", List.of(new NewTask("s1", Span.of(0, 5)), new NewTask("s2", Span.of(5, 9))));
            postgres.jobs().createJob(job, T0);
            for (NewTask task : job.tasks()) {
                TaskKey key = new TaskKey(job.jobId(), task.segmentId());
                Claimed claimed = (Claimed) postgres.claims().claim(key, null, "w1", T0, Duration.ofSeconds(30));
                postgres.completions().complete(claimed.task().lease(),
                        List.of(new Mapping("M2", List.of(Segment.of("x", 0, 5)))), T0);
            }
            JobStatus status = postgres.jobs().jobStatus(job.jobId()).orElseThrow();
            assertThat(status.state()).isEqualTo(JobState.COMPLETED);
            assertThat(status.manifestationId()).isEqualTo("S1");
            assertThat(status.createdAt()).isEqualTo(T0);
            assertThat(schema.queryString("SELECT status || ' ' || created_at::text FROM " + layout.jobTable()
                            + " WHERE job_id = '" + job.jobId() + "'"))
                    .isEqualTo("COMPLETED 2030-01-01 00:00:00");
            if (layout == Layout.CURRENT) {
                // the consumer finds what segrel stored by text id
                assertThat(deployed.consumerRead("S1", List.of("s1", "s2")))
                        .containsExactly(new ConsumerRow("s1", RESULT), new ConsumerRow("s2", RESULT));
            }
        } finally {
            TimeZone.setDefault(jvmZone);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"README", "V1", "CURRENT"})
    void aProducerResetStartsANewRunAndZeroesFailedSegmentsOnlyOnARealReset(Layout layout) {
        DeployedTables deployed = DeployedTables.create(TestingPostgres.shared().freshSchema(), layout);
        TestingPostgres.Schema schema = deployed.schema();
        UUID job = deployed.submit("R1", List.of("a", "b", "c"));
        try (Postgres postgres = connect(schema)) {
            postgres.migrator().migrate();
        }
        String run = "SELECT segrel_run || '/' || failed_segments FROM " + layout.jobTable() + " WHERE job_id = '" + job + "'";

        deployed.resetJob(job, 3);
        assertThat(schema.queryString(run)).as("a reset of a job that has not started").isEqualTo("0/0");

        schema.execute("UPDATE " + layout.jobTable() + " SET status = 'IN_PROGRESS', completed_segments = 1,"
                + " failed_segments = 1 WHERE job_id = '" + job + "'");
        schema.execute("UPDATE " + layout.jobTable() + " SET status = 'FAILED', completed_segments = 2 WHERE job_id = '" + job + "'");
        assertThat(schema.queryString(run)).as("progress is no reset").isEqualTo("0/1");

        deployed.resetJob(job, 4);
        assertThat(schema.queryString(run)).isEqualTo("1/0");
        deployed.resetJob(job, 4);
        assertThat(schema.queryString(run)).as("resetting a reset job again").isEqualTo("1/0");

        schema.execute("UPDATE " + layout.jobTable() + " SET status = 'COMPLETED', completed_segments = 4 WHERE job_id = '" + job + "'");
        deployed.resetJob(job, 4);
        assertThat(schema.queryString(run)).isEqualTo("2/0");
    }

    @Test
    void aTaskRowWrittenWithoutTextIdGetsItsJobsAndOneWithItKeepsIt() {
        DeployedTables current = DeployedTables.create(TestingPostgres.shared().freshSchema(), Layout.CURRENT);
        TestingPostgres.Schema schema = current.schema();
        UUID job = current.submit("T1", List.of("a", "b"));
        try (Postgres postgres = connect(schema)) {
            postgres.migrator().migrate();
        }

        schema.execute("INSERT INTO segment_task (job_id, segment_id, status) VALUES ('" + job + "', 'a', 'QUEUED')",
                "INSERT INTO segment_mapping (task_id, root_job_id, text_id, segment_id, status)"
                        + " VALUES (gen_random_uuid(), '" + job + "', 'other', 'b', 'QUEUED')");

        assertThat(schema.queryString("SELECT string_agg(segment_id || '=' || text_id, ',' ORDER BY segment_id)"
                + " FROM segment_mapping")).isEqualTo("a=T1,b=other");
    }

    /** The statements docs/operations.md gives to roll the layout back: its {@code -- roll back the KEY layout} block. */
    private static String rollbackSql(String key) throws IOException {
        String guide = Files.readString(Path.of(System.getProperty("segrel.repository.root", ".."), "docs", "operations.md"));
        String start = "```sql\n-- roll back the " + key + " layout\n";
        int from = guide.indexOf(start);
        assertThat(from).as("docs/operations.md has a block starting with " + start).isNotNegative();
        int to = guide.indexOf("```", from + start.length());
        return guide.substring(from + "```sql\n".length(), to);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Postgres connect(TestingPostgres.Schema schema) {
        return Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2), "layout-test");
    }

    private static Postgres connect(TestingPostgres.Schema schema, TableLayout layout) {
        return Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2).withTableLayout(layout), "layout-test");
    }

    private static DeployedTables withRows(Layout layout) {
        return StoreDatabase.withRows(layout);
    }

    private static boolean exists(TestingPostgres.Schema schema, String table) {
        return schema.queryLong("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = current_schema() AND c.relname = '" + table + "'") > 0;
    }

    private static String relkind(TestingPostgres.Schema schema, String table) {
        return schema.queryString("SELECT c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = current_schema() AND c.relname = '" + table + "'");
    }

    /**
     * What the deployed service made of its tables: every column (type and nullability), default,
     * constraint, index and trigger, one line each, and the revision in {@code alembic_version}.
     */
    static List<String> catalog(TestingPostgres.Schema schema, Layout layout) {
        List<String> lines = new ArrayList<>();
        for (String table : List.of(layout.jobTable(), layout.taskTable())) {
            lines.addAll(lines(schema, """
                    SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                    WHERE a.attrelid = '%1$s'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                    UNION ALL
                    SELECT 'default ' || c.relname || '.' || a.attname || ' ' || pg_get_expr(d.adbin, d.adrelid)
                    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                    JOIN pg_class c ON c.oid = d.adrelid
                    WHERE d.adrelid = '%1$s'::regclass
                    UNION ALL
                    SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid = '%1$s'::regclass
                    UNION ALL
                    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '%1$s'
                    UNION ALL
                    SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = '%1$s'::regclass
                    ORDER BY 1""".formatted(table)));
        }
        if (exists(schema, "alembic_version")) {
            lines.add("alembic " + schema.queryString("SELECT string_agg(version_num, ',') FROM alembic_version"));
        }
        return lines;
    }

    /** The job and task tables' rows, over the columns {@code catalog} lists for them, as text. */
    static String rows(TestingPostgres.Schema schema, Layout layout, List<String> catalog) {
        return rows(schema, layout.jobTable(), catalog) + "\n" + rows(schema, layout.taskTable(), catalog);
    }

    /** The table's rows, over the columns {@code catalog} lists for it, as text. */
    static String rows(TestingPostgres.Schema schema, String table, List<String> catalog) {
        String prefix = "column " + table + ".";
        List<String> columns = catalog.stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length(), l.indexOf(' ', prefix.length()))).toList();
        return schema.queryString("SELECT coalesce(string_agg(r::text, '|' ORDER BY r::text), '') FROM (SELECT "
                + String.join(", ", columns) + " FROM " + table + ") r");
    }

    private static List<String> lines(TestingPostgres.Schema schema, String sql) {
        List<String> lines = new ArrayList<>();
        try (Connection c = schema.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return lines;
    }
}
