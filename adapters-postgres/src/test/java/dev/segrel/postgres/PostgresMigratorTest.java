package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.port.out.TaskClaims.Claimed;
import dev.segrel.core.port.out.TaskCompletions.Completed;
import dev.segrel.postgres.PostgresMigrator.MigrationReport;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PostgresMigratorTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /** How the existing service's status columns may be typed. */
    enum LegacyStatus {
        /** SQLAlchemy {@code Enum(JobStatus)}: PostgreSQL enum types {@code jobstatus} and {@code taskstatus}. */
        ENUM_TYPES("jobstatus", "taskstatus"),
        /** {@code Enum(..., native_enum=False)} or plain strings: varchar columns. */
        VARCHAR("varchar(20)", "varchar(20)");

        final String jobType;
        final String taskType;

        LegacyStatus(String jobType, String taskType) {
            this.jobType = jobType;
            this.taskType = taskType;
        }
    }

    static final String DONE_JOB = "11111111-1111-1111-1111-111111111111";
    static final String RUNNING_JOB = "22222222-2222-2222-2222-222222222222";
    static final String RESULT = "[{\"manifestation_id\": \"M2\", \"segments\": [{\"segment_id\": \"x\", \"span\": {\"start\": 0, \"end\": 5}}]}]";

    @Test
    void anEmptySchemaGetsEveryTableAndASecondRunIsANoOp() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        try (Postgres postgres = connect(schema)) {
            MigrationReport first = postgres.migrator().migrate();
            MigrationReport second = postgres.migrator().migrate();

            // V1 segrel schema, V2 rejected message, V3 runs and batches, V4 outbox trace, V5 outbox fencing,
            // V6 outbox id prefix index, R readme layout
            assertThat(first.applied()).isEqualTo(7);
            assertThat(first.adoptedLegacySchema()).isFalse();
            assertThat(first.layout()).isEqualTo(TableLayout.README);
            assertThat(second.applied()).isZero();
            assertThat(second.toVersion()).isEqualTo(first.toVersion());
            assertThat(schema.queryString("SELECT format_type(atttypid, NULL) FROM pg_attribute "
                            + "WHERE attrelid = 'segment_task'::regclass AND attname = 'status'"))
                    .isEqualTo("taskstatus");
        }
    }

    @ParameterizedTest
    @EnumSource(LegacyStatus.class)
    void theExistingServicesTablesAreUpgradedInPlaceKeepingEveryRow(LegacyStatus legacy) {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        createLegacySchema(schema, legacy);
        String before = schema.queryString(
                "SELECT string_agg(task_id || status::text || coalesce(result_json::text, '-'), ',' ORDER BY task_id) FROM segment_task");

        try (Postgres postgres = connect(schema)) {
            MigrationReport report = postgres.migrator().migrate();
            MigrationReport again = postgres.migrator().migrate();

            // V1 is Flyway's baseline (the online adoption did it), then V2 to V6 and R__readme_layout
            assertThat(report.applied()).isEqualTo(6);
            assertThat(report.adoptedLegacySchema()).isTrue();
            assertThat(report.layout()).isEqualTo(TableLayout.README);
            assertThat(again.applied()).isZero();
            assertThat(schema.queryLong("SELECT count(*) FROM root_job")).isEqualTo(2);
            assertThat(schema.queryLong("SELECT count(*) FROM segment_task")).isEqualTo(4);
            assertThat(schema.queryLong("SELECT count(*) FROM alembic_version")).isEqualTo(1);
            assertThat(schema.queryString(
                            "SELECT string_agg(task_id || status::text || coalesce(result_json::text, '-'), ',' ORDER BY task_id) FROM segment_task"))
                    .isEqualTo(before);
            // the old claim counted a task twice: the counters are recomputed from the tasks
            assertThat(schema.queryLong("SELECT completed_segments FROM root_job WHERE job_id = '" + RUNNING_JOB + "'"))
                    .isEqualTo(1);
            // the existing unique (job_id, segment_id) is reused, not duplicated
            assertThat(schema.queryLong("SELECT count(*) FROM pg_indexes WHERE tablename = 'segment_task' "
                            + "AND schemaname = current_schema() AND indexdef LIKE '%UNIQUE%(job_id, segment_id)%'"))
                    .isEqualTo(1);

            JobId done = JobId.parse(DONE_JOB);
            List<TaskDetail> doneTasks = new ArrayList<>();
            postgres.reads().forEachTask(done, doneTasks::add);
            assertThat(doneTasks.get(0).mappings()).containsExactly(new Mapping("M2", List.of(Segment.of("x", 0, 5))));

            // a task left IN_PROGRESS by a dead worker of the old service is claimable again
            JobId running = JobId.parse(RUNNING_JOB);
            Claimed stranded = (Claimed) postgres.claims().claim(new TaskKey(running, "b"), Span.of(3, 4), "w1", NOW, Duration.ofSeconds(30));
            assertThat(postgres.completions().complete(stranded.task().lease(), List.of(), NOW)).isInstanceOf(Completed.class);
            Claimed queued = (Claimed) postgres.claims().claim(new TaskKey(running, "c"), Span.of(5, 6), "w1", NOW, Duration.ofSeconds(30));
            assertThat(postgres.completions().complete(queued.task().lease(), List.of(), NOW))
                    .isEqualTo(new Completed(new TaskKey(running, "c"), true, JobState.COMPLETED));
            assertThat(schema.queryLong("SELECT count(*) FROM segrel_outbox WHERE message_id = 'job-completed:" + RUNNING_JOB + "'"))
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(LegacyStatus.class)
    void theExistingProducersInsertsStillWorkAndTheWorkerTakesTheSpanFromTheMessage(LegacyStatus legacy) {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        createLegacySchema(schema, legacy);
        try (Postgres postgres = connect(schema)) {
            postgres.migrator().migrate();
            UUID job = UUID.randomUUID();

            // exactly what the existing producer sends: the seed columns only
            schema.execute(
                    "INSERT INTO root_job (job_id, manifestation_id, total_segments, completed_segments, status, created_at, updated_at)"
                            + " VALUES ('" + job + "', 'M1', 1, 0, 'QUEUED', now(), now())",
                    "INSERT INTO segment_task (task_id, job_id, segment_id, status, created_at, updated_at)"
                            + " VALUES ('" + UUID.randomUUID() + "', '" + job + "', 'S1', 'QUEUED', now(), now())");

            TaskKey key = new TaskKey(new JobId(job), "S1");
            Claimed claimed = (Claimed) postgres.claims().claim(key, Span.of(100, 250), "w1", NOW, Duration.ofSeconds(30));

            assertThat(claimed.task().span()).isEqualTo(Span.of(100, 250));
            assertThat(postgres.completions().complete(claimed.task().lease(), List.of(), NOW))
                    .isEqualTo(new Completed(key, true, JobState.COMPLETED));
            assertThat(schema.queryString("SELECT status::text FROM root_job WHERE job_id = '" + job + "'"))
                    .isEqualTo("COMPLETED");
        }
    }

    private static Postgres connect(TestingPostgres.Schema schema) {
        return Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2));
    }

    /** The tables as the existing service's SQLAlchemy models and Alembic create them, with rows. */
    static void createLegacySchema(TestingPostgres.Schema schema, LegacyStatus legacy) {
        if (legacy == LegacyStatus.ENUM_TYPES) {
            schema.execute(
                    "CREATE TYPE jobstatus AS ENUM ('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED')",
                    "CREATE TYPE taskstatus AS ENUM ('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'RETRYING', 'FAILED')");
        }
        schema.execute(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                        + "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
                "INSERT INTO alembic_version VALUES ('3f2a1b9c0d4e')",
                "CREATE TABLE root_job (job_id UUID NOT NULL, manifestation_id VARCHAR NOT NULL, "
                        + "total_segments INTEGER NOT NULL, completed_segments INTEGER, status " + legacy.jobType + " NOT NULL, "
                        + "created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), updated_at TIMESTAMP WITHOUT TIME ZONE, "
                        + "PRIMARY KEY (job_id))",
                "CREATE TABLE segment_task (task_id UUID NOT NULL, job_id UUID NOT NULL, segment_id VARCHAR NOT NULL, "
                        + "status " + legacy.taskType + " NOT NULL, result_json JSONB, result_location VARCHAR, "
                        + "error_message TEXT, created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), "
                        + "updated_at TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (task_id), "
                        + "CONSTRAINT uq_job_segment UNIQUE (job_id, segment_id), "
                        + "FOREIGN KEY (job_id) REFERENCES root_job (job_id))",
                "INSERT INTO root_job VALUES ('" + DONE_JOB + "', 'M1', 1, 1, 'COMPLETED', now(), now())",
                "INSERT INTO segment_task VALUES ('a1111111-1111-1111-1111-111111111111', '" + DONE_JOB
                        + "', 'a', 'COMPLETED', '" + RESULT + "', NULL, NULL, now(), now())",
                // completed_segments 2 although one task is COMPLETED: the old double count
                "INSERT INTO root_job VALUES ('" + RUNNING_JOB + "', 'M1', 3, 2, 'IN_PROGRESS', now(), now())",
                "INSERT INTO segment_task VALUES ('b1111111-1111-1111-1111-111111111111', '" + RUNNING_JOB
                        + "', 'a', 'COMPLETED', '" + RESULT + "', NULL, NULL, now(), now())",
                "INSERT INTO segment_task VALUES ('b2222222-2222-2222-2222-222222222222', '" + RUNNING_JOB
                        + "', 'b', 'IN_PROGRESS', NULL, NULL, NULL, now() - interval '1 hour', now() - interval '1 hour')",
                "INSERT INTO segment_task VALUES ('b3333333-3333-3333-3333-333333333333', '" + RUNNING_JOB
                        + "', 'c', 'QUEUED', NULL, NULL, NULL, now(), now())");
    }
}
