package dev.segrel.testkit.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A deployed service's tables in a test schema, made exactly as the deployed code makes them (see the
 * seed's {@code deployed-service.md}), and its producer and downstream consumer played with plain JDBC,
 * so that a test can check that segrel adopts the tables and that the deployed programs keep working
 * beside it. Nothing here uses segrel's code.
 *
 * <pre>{@code
 * TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
 * DeployedTables deployed = DeployedTables.create(schema, DeployedTables.Layout.CURRENT);
 * UUID job = deployed.submit("M1", List.of("S1", "S2"));   // the producer: one root_jobs row
 * // ... segrel migrate, then workers ...
 * List<DeployedTables.ConsumerRow> rows = deployed.consumerRead("M1", List.of("S1", "S2"));
 * }</pre>
 *
 * Not thread-safe; each call opens its own connection.
 */
public final class DeployedTables {

    /** The layouts found in the field. */
    public enum Layout {
        /**
         * {@code root_job} / {@code segment_task}, as the seed README lists them, with SQLAlchemy's enum types
         * {@code jobstatus} / {@code taskstatus}, a unique {@code (job_id, segment_id)} and Alembic's table.
         */
        README("readme"),
        /**
         * {@code root_jobs} / {@code segment_tasks} as the worker's first Alembic revision creates them: uuid ids,
         * text columns, varchar(20) status, timestamps without time zone, a foreign key, no unique
         * {@code (job_id, segment_id)}, no CHECK; {@code alembic_version} holds the revision.
         */
        V1("v1"),
        /**
         * {@link #V1} as the ORM models create it ({@code create_all}): with the CHECKs
         * {@code root_job_status_check} and {@code segment_task_status_check}, without {@code alembic_version}.
         */
        V1_FROM_MODELS("v1"),
        /**
         * {@code root_jobs} (with {@code text_id}) / {@code segment_mapping}, as the later revisions leave them:
         * CHECKs on status, a foreign key, {@code uq_segment_mapping_root_job_segment}, no {@code result_location}.
         */
        CURRENT("current");

        private final String key;

        Layout(String key) {
            this.key = key;
        }

        /** The layout's {@code SEGREL_TABLE_LAYOUT} value: {@code readme}, {@code v1} or {@code current}. */
        public String key() {
            return key;
        }

        /** The job table. */
        public String jobTable() {
            return this == README ? "root_job" : "root_jobs";
        }

        /** The task table. */
        public String taskTable() {
            return switch (this) {
                case README -> "segment_task";
                case V1, V1_FROM_MODELS -> "segment_tasks";
                case CURRENT -> "segment_mapping";
            };
        }
    }

    /**
     * One row the downstream consumer reads.
     *
     * @param segmentId the segment
     * @param resultJson its {@code result_json} as text (jsonb's normal form), or null
     */
    public record ConsumerRow(String segmentId, String resultJson) {
        public ConsumerRow {
            requireNonNull(segmentId, "segmentId is null");
        }
    }

    /** The revision {@code alembic_version} holds in {@link Layout#V1}. */
    public static final String V1_REVISION = "a1b2c3d4e5f6";
    /** The revision {@code alembic_version} holds in {@link Layout#CURRENT}. */
    public static final String CURRENT_REVISION = "f6e5d4c3b2a1";

    private static final String JOB_STATES = "('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED')";
    private static final String TASK_STATES = "('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'RETRYING')";
    private static final String UTC_NOW = "(now() at time zone 'utc')";
    private static final String ALEMBIC = "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            + "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))";

    private final TestingPostgres.Schema schema;
    private final Layout layout;

    private DeployedTables(TestingPostgres.Schema schema, Layout layout) {
        this.schema = schema;
        this.layout = layout;
    }

    /** Creates {@code layout}'s tables, empty, in {@code schema} (which should hold nothing else of the layouts). */
    public static DeployedTables create(TestingPostgres.Schema schema, Layout layout) {
        requireNonNull(schema, "schema is null");
        requireNonNull(layout, "layout is null");
        schema.execute(switch (layout) {
            case README -> readme();
            case V1 -> v1(false);
            case V1_FROM_MODELS -> v1(true);
            case CURRENT -> current();
        });
        return new DeployedTables(schema, layout);
    }

    public Layout layout() {
        return layout;
    }

    public TestingPostgres.Schema schema() {
        return schema;
    }

    /**
     * The layout's producer submits a text of {@code segmentIds}, writing only the columns the deployed
     * code writes, timestamps in UTC. readme and v1 (the older pipeline): a QUEUED job and one QUEUED task
     * per segment. current: one QUEUED job and no task rows; when the text has a job already, the newest
     * one is reset instead ({@link #resetJob}), as re-submitting a text does.
     *
     * @return the job's id
     */
    public UUID submit(String textId, List<String> segmentIds) {
        requireNonNull(textId, "textId is null");
        requireNonNull(segmentIds, "segmentIds is null");
        if (layout == Layout.CURRENT) {
            UUID newest = newestJob(textId);
            if (newest != null) {
                resetJob(newest, segmentIds.size());
                return newest;
            }
        }
        UUID job = UUID.randomUUID();
        try (Connection c = schema.connect()) {
            c.setAutoCommit(false);
            String text = layout == Layout.CURRENT ? "text_id" : "manifestation_id";
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + layout.jobTable() + " (job_id, " + text
                    + ", total_segments, completed_segments, status, created_at, updated_at) VALUES (?, ?, ?, 0, 'QUEUED', "
                    + UTC_NOW + ", " + UTC_NOW + ")")) {
                s.setObject(1, job);
                s.setString(2, textId);
                s.setInt(3, segmentIds.size());
                s.executeUpdate();
            }
            if (layout != Layout.CURRENT) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + layout.taskTable()
                        + " (task_id, job_id, segment_id, status, created_at, updated_at) VALUES (?, ?, ?, 'QUEUED', "
                        + UTC_NOW + ", " + UTC_NOW + ")")) {
                    for (String segment : segmentIds) {
                        s.setObject(1, UUID.randomUUID());
                        s.setObject(2, job);
                        s.setString(3, segment);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("deployed producer: " + e.getMessage(), e);
        }
        return job;
    }

    /**
     * The current producer's reset of a job it re-submits: {@code total_segments}, {@code completed_segments}
     * 0, status QUEUED and {@code updated_at}, nothing else; the job keeps its id and its task rows.
     */
    public void resetJob(UUID jobId, int totalSegments) {
        requireNonNull(jobId, "jobId is null");
        try (Connection c = schema.connect();
                PreparedStatement s = c.prepareStatement("UPDATE " + layout.jobTable()
                        + " SET total_segments = ?, completed_segments = 0, status = 'QUEUED', updated_at = " + UTC_NOW
                        + " WHERE job_id = ?")) {
            s.setInt(1, totalSegments);
            s.setObject(2, jobId);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("deployed producer: no job " + jobId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("deployed producer: " + e.getMessage(), e);
        }
    }

    /**
     * The deployed worker stores one segment's result: current upserts the {@code segment_mapping} row
     * ({@code root_job_id}, {@code text_id}, {@code segment_id}, {@code result_json}, COMPLETED) on its unique
     * key and leaves the job's counters alone (its own count is wrong: it adds a batch's total); readme and
     * v1 mark the task COMPLETED with the result and add 1 to the job's {@code completed_segments}.
     */
    public void workerStores(UUID jobId, String textId, String segmentId, String resultJson) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(textId, "textId is null");
        requireNonNull(segmentId, "segmentId is null");
        List<String> statements = layout == Layout.CURRENT
                ? List.of("""
                        INSERT INTO segment_mapping (task_id, root_job_id, text_id, segment_id, result_json, status,
                                                     created_at, updated_at)
                        VALUES (gen_random_uuid(), ?, ?, ?, CAST(? AS jsonb), 'COMPLETED', %1$s, %1$s)
                        ON CONFLICT (root_job_id, segment_id) DO UPDATE
                        SET text_id = EXCLUDED.text_id, result_json = EXCLUDED.result_json, status = EXCLUDED.status,
                            updated_at = EXCLUDED.updated_at""".formatted(UTC_NOW))
                : List.of("""
                        UPDATE %s SET status = 'COMPLETED', result_json = CAST(? AS jsonb), updated_at = %s
                        WHERE job_id = ? AND segment_id = ?""".formatted(layout.taskTable(), UTC_NOW),
                        "UPDATE " + layout.jobTable() + " SET completed_segments = coalesce(completed_segments, 0) + 1,"
                                + " updated_at = " + UTC_NOW + " WHERE job_id = ?");
        try (Connection c = schema.connect()) {
            c.setAutoCommit(false);
            if (layout == Layout.CURRENT) {
                try (PreparedStatement s = c.prepareStatement(statements.get(0))) {
                    s.setObject(1, jobId);
                    s.setString(2, textId);
                    s.setString(3, segmentId);
                    s.setString(4, resultJson);
                    s.executeUpdate();
                }
            } else {
                try (PreparedStatement s = c.prepareStatement(statements.get(0))) {
                    s.setString(1, resultJson);
                    s.setObject(2, jobId);
                    s.setString(3, segmentId);
                    if (s.executeUpdate() != 1) {
                        throw new IllegalStateException("deployed worker: no task " + jobId + "/" + segmentId);
                    }
                }
                try (PreparedStatement s = c.prepareStatement(statements.get(1))) {
                    s.setObject(1, jobId);
                    s.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("deployed worker: " + e.getMessage(), e);
        }
    }

    /**
     * The downstream consumer's read for one completion message (current layout):
     * {@code SELECT segment_id, result_json FROM segment_mapping WHERE text_id = ? AND segment_id = ANY(?)},
     * the rows sorted by segment id.
     */
    public List<ConsumerRow> consumerRead(String textId, List<String> segmentIds) {
        requireNonNull(textId, "textId is null");
        requireNonNull(segmentIds, "segmentIds is null");
        if (layout != Layout.CURRENT) {
            throw new IllegalStateException("the downstream consumer reads the current layout, not " + layout);
        }
        List<ConsumerRow> rows = new ArrayList<>();
        try (Connection c = schema.connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT segment_id, result_json FROM segment_mapping WHERE text_id = ? AND segment_id = ANY(?)")) {
            s.setString(1, textId);
            s.setArray(2, c.createArrayOf("text", segmentIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ConsumerRow(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("downstream consumer: " + e.getMessage(), e);
        }
        rows.sort(Comparator.comparing(ConsumerRow::segmentId));
        return rows;
    }

    private UUID newestJob(String textId) {
        try (Connection c = schema.connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT job_id FROM root_jobs WHERE text_id = ? ORDER BY created_at DESC NULLS LAST LIMIT 1")) {
            s.setString(1, textId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("deployed producer: " + e.getMessage(), e);
        }
    }

    private static String[] readme() {
        return new String[] {
            "CREATE TYPE jobstatus AS ENUM " + JOB_STATES,
            "CREATE TYPE taskstatus AS ENUM ('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'RETRYING', 'FAILED')",
            ALEMBIC,
            "INSERT INTO alembic_version VALUES ('3f2a1b9c0d4e')",
            """
            CREATE TABLE root_job (
                job_id UUID NOT NULL, manifestation_id VARCHAR NOT NULL, total_segments INTEGER NOT NULL,
                completed_segments INTEGER, status jobstatus NOT NULL,
                created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), updated_at TIMESTAMP WITHOUT TIME ZONE,
                PRIMARY KEY (job_id))""",
            """
            CREATE TABLE segment_task (
                task_id UUID NOT NULL, job_id UUID NOT NULL, segment_id VARCHAR NOT NULL, status taskstatus NOT NULL,
                result_json JSONB, result_location VARCHAR, error_message TEXT,
                created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), updated_at TIMESTAMP WITHOUT TIME ZONE,
                PRIMARY KEY (task_id), CONSTRAINT uq_job_segment UNIQUE (job_id, segment_id),
                FOREIGN KEY (job_id) REFERENCES root_job (job_id))"""
        };
    }

    private static String[] v1(boolean fromModels) {
        List<String> statements = new ArrayList<>();
        if (!fromModels) {
            statements.add(ALEMBIC);
            statements.add("INSERT INTO alembic_version VALUES ('" + V1_REVISION + "')");
        }
        statements.add("""
                CREATE TABLE root_jobs (
                    job_id UUID NOT NULL, manifestation_id TEXT NOT NULL, total_segments INTEGER NOT NULL,
                    completed_segments INTEGER, status VARCHAR(20) NOT NULL, merged_result_location TEXT,
                    created_at TIMESTAMP WITHOUT TIME ZONE, updated_at TIMESTAMP WITHOUT TIME ZONE,
                    PRIMARY KEY (job_id)%s)""".formatted(fromModels
                ? ", CONSTRAINT root_job_status_check CHECK (status IN " + JOB_STATES + ")" : ""));
        statements.add("""
                CREATE TABLE segment_tasks (
                    task_id UUID NOT NULL, job_id UUID NOT NULL, segment_id TEXT NOT NULL, status VARCHAR(20) NOT NULL,
                    result_json JSONB, result_location TEXT, error_message TEXT,
                    created_at TIMESTAMP WITHOUT TIME ZONE, updated_at TIMESTAMP WITHOUT TIME ZONE,
                    PRIMARY KEY (task_id), FOREIGN KEY (job_id) REFERENCES root_jobs (job_id)%s)""".formatted(fromModels
                ? ", CONSTRAINT segment_task_status_check CHECK (status IN " + TASK_STATES + ")" : ""));
        return statements.toArray(String[]::new);
    }

    private static String[] current() {
        return new String[] {
            ALEMBIC,
            "INSERT INTO alembic_version VALUES ('" + CURRENT_REVISION + "')",
            """
            CREATE TABLE root_jobs (
                job_id UUID NOT NULL, text_id TEXT NOT NULL, total_segments INTEGER, completed_segments INTEGER DEFAULT 0,
                status VARCHAR(20), created_at TIMESTAMP WITHOUT TIME ZONE, updated_at TIMESTAMP WITHOUT TIME ZONE,
                PRIMARY KEY (job_id), CONSTRAINT root_jobs_status_check CHECK (status IN %s))""".formatted(JOB_STATES),
            """
            CREATE TABLE segment_mapping (
                task_id UUID NOT NULL, root_job_id UUID NOT NULL, text_id TEXT, segment_id TEXT NOT NULL,
                status VARCHAR(20), result_json JSONB, error_message TEXT,
                created_at TIMESTAMP WITHOUT TIME ZONE, updated_at TIMESTAMP WITHOUT TIME ZONE,
                PRIMARY KEY (task_id), FOREIGN KEY (root_job_id) REFERENCES root_jobs (job_id),
                CONSTRAINT uq_segment_mapping_root_job_segment UNIQUE (root_job_id, segment_id),
                CONSTRAINT segment_mapping_status_check CHECK (status IN %s))""".formatted(TASK_STATES)
        };
    }

}
