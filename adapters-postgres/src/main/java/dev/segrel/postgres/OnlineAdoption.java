package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Adopts a deployed service's job and task tables while its producer and readers go on: what the first
 * migration ({@code V1}) does to them, as steps that never hold a lock the live system waits on for long.
 * Each step is its own short transaction (autocommit), checks first whether it is done already (so a run
 * that crashed halfway is run again from the start and goes on where it stopped), and:
 * <ul>
 *   <li>takes an ACCESS EXCLUSIVE lock only for catalog changes (new nullable or constant-default columns,
 *       defaults, a CHECK added {@code NOT VALID}), each under {@link LockWaits};</li>
 *   <li>validates the CHECK and builds indexes without blocking writes ({@code VALIDATE CONSTRAINT},
 *       {@code CREATE INDEX CONCURRENTLY}); an index left INVALID by a crashed build is dropped and built again;</li>
 *   <li>rewrites rows in batches of {@link #BATCH_ROWS} keys per transaction.</li>
 * </ul>
 * Flyway then records {@code V1} as its baseline, so the script itself never runs on such a database (and a
 * database that ran it before keeps its checksum).
 */
final class OnlineAdoption {

    /** Keys per backfill transaction. */
    static final int BATCH_ROWS = 10_000;

    /**
     * The outbox as the V1 scripts create it. Repeated here, not read from them: an applied Flyway script
     * must stay byte-identical (its checksum is recorded), and this path must not depend on how a script
     * splits into statements. {@code MigrationLocksTest} checks that both paths end in the same schema.
     */
    private static final String OUTBOX = """
            CREATE TABLE IF NOT EXISTS segrel_outbox (
                id           bigserial PRIMARY KEY,
                message_id   varchar NOT NULL UNIQUE,
                destination  varchar NOT NULL,
                body         text NOT NULL,
                created_at   timestamptz NOT NULL DEFAULT now(),
                available_at timestamptz NOT NULL DEFAULT now(),
                lease_owner  varchar,
                attempts     integer NOT NULL DEFAULT 0,
                last_error   text,
                sent_at      timestamptz
            )""";

    private final Connection connection;
    private final TableLayout layout;
    private final LockWaits locks;
    private final String job;
    private final String task;
    private final String taskJob;

    OnlineAdoption(Connection connection, TableLayout layout, LockWaits locks) throws SQLException {
        this.connection = requireNonNull(connection, "connection is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.locks = requireNonNull(locks, "locks is null");
        this.job = layout.jobTable();
        this.task = layout.taskTable();
        this.taskJob = layout.taskJobColumn();
        connection.setAutoCommit(true);
    }

    /** True when {@code table} exists in the current schema. */
    static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * True when both of the layout's tables exist: what this adopts. Only one (a readme {@code root_job}
     * without {@code segment_task}) is left to the first migration, which creates the other.
     */
    static boolean applies(Connection connection, TableLayout layout) throws SQLException {
        return exists(connection, layout.jobTable()) && exists(connection, layout.taskTable());
    }

    /** Every step, in order. */
    void run() throws SQLException {
        alterJobTable();
        alterTaskTable();
        validate(task + "_span_valid");
        uniqueKey();
        index(task + "_lease_expiry", "(lease_expires_at) WHERE status = 'IN_PROGRESS'");
        index(task + "_waiting", "(updated_at) WHERE status IN ('QUEUED', 'RETRYING')");
        locks.execute(connection, "segrel_outbox", OUTBOX);
        locks.execute(connection, "segrel_outbox",
                "CREATE INDEX IF NOT EXISTS segrel_outbox_pending ON segrel_outbox (available_at, id) WHERE sent_at IS NULL");
        recomputeCounters();
        expireLeftLeases();
    }

    // ------------------------------------------------------------------------------------------ catalog steps

    private void alterJobTable() throws SQLException {
        List<String> changes = new ArrayList<>();
        if (!hasColumn(job, "failed_segments")) {
            changes.add("ADD COLUMN IF NOT EXISTS failed_segments integer NOT NULL DEFAULT 0");
        }
        changes.addAll(defaults(job, List.of(new Default("completed_segments", "0"), new Default("status", "'QUEUED'"),
                new Default("created_at", null), new Default("updated_at", null))));
        alter(job, changes);
    }

    private void alterTaskTable() throws SQLException {
        List<String> changes = new ArrayList<>();
        for (String column : List.of("span_start integer", "span_end integer", "attempts integer NOT NULL DEFAULT 0",
                "lease_owner varchar", "lease_expires_at timestamptz", "lease_token bigint NOT NULL DEFAULT 0")) {
            if (!hasColumn(task, column.substring(0, column.indexOf(' ')))) {
                changes.add("ADD COLUMN IF NOT EXISTS " + column);
            }
        }
        if (constraintValidated(task + "_span_valid") == null) {
            // NOT VALID: only new rows are checked now, under the lock; the old ones by VALIDATE, without it
            changes.add("ADD CONSTRAINT " + task + "_span_valid CHECK ((span_start IS NULL AND span_end IS NULL)"
                    + " OR (span_start >= 0 AND span_start < span_end)) NOT VALID");
        }
        changes.addAll(defaults(task, List.of(new Default("task_id", "gen_random_uuid()"), new Default("status", "'QUEUED'"),
                new Default("created_at", null), new Default("updated_at", null))));
        alter(task, changes);
    }

    /** A default {@code V1} gives a column; a null expression: now, in the column's kind of timestamp. */
    private record Default(String column, String expression) {}

    /**
     * The SET DEFAULTs to make: readme's {@code V1} sets its defaults whatever was there (this does the same,
     * skipping those already in place); the adopting {@code V1} only where the deployed column has none.
     */
    private List<String> defaults(String table, List<Default> wanted) throws SQLException {
        List<String> changes = new ArrayList<>();
        for (Default d : wanted) {
            try (PreparedStatement s = connection.prepareStatement("""
                    SELECT format_type(a.atttypid, NULL), pg_get_expr(ad.adbin, ad.adrelid)
                    FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                    WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped""")) {
                s.setString(1, table);
                s.setString(2, d.column());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    String type = rs.getString(1);
                    String current = rs.getString(2);
                    String expression;
                    if (layout == TableLayout.README) {
                        expression = d.expression() == null ? "now()" : d.expression();
                        if (current != null && (current.equals(expression) || current.startsWith(expression + "::"))) {
                            continue;
                        }
                    } else {
                        if (current != null) {
                            continue;
                        }
                        expression = d.expression() != null ? d.expression()
                                : type.equals("timestamp with time zone") ? "now()" : "(now() AT TIME ZONE 'utc')";
                    }
                    changes.add("ALTER COLUMN " + d.column() + " SET DEFAULT " + expression);
                }
            }
        }
        return changes;
    }

    /** One ALTER TABLE for all of a table's catalog changes: one short lock, none when nothing is left to do. */
    private void alter(String table, List<String> changes) throws SQLException {
        if (!changes.isEmpty()) {
            locks.execute(connection, table, "ALTER TABLE " + table + " " + String.join(", ", changes));
        }
    }

    /** Checks the rows that were there before the CHECK; takes a lock that lets reads and writes go on. */
    private void validate(String constraint) throws SQLException {
        if (Boolean.FALSE.equals(constraintValidated(constraint))) {
            nonBlocking("ALTER TABLE " + task + " VALIDATE CONSTRAINT " + constraint);
        }
    }

    /** The store finds a task by (job, segment) and batches upsert on it; duplicates were dealt with before. */
    private void uniqueKey() throws SQLException {
        if (new DuplicateTasks(layout).hasUniqueKey(connection)) {
            return;
        }
        String name = task + "_job_segment_key";
        dropIfInvalid(name);
        nonBlocking("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + name + " ON " + task + " (" + taskJob + ", segment_id)");
    }

    private void index(String name, String definition) throws SQLException {
        dropIfInvalid(name);
        nonBlocking("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + name + " ON " + task + " " + definition);
    }

    /** A concurrent build that crashed or failed leaves its index INVALID: IF NOT EXISTS would keep it so. */
    private void dropIfInvalid(String index) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relname = ? AND NOT i.indisvalid""")) {
            s.setString(1, index);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
            }
        }
        nonBlocking("DROP INDEX CONCURRENTLY IF EXISTS " + index);
    }

    /**
     * A statement whose lock does not conflict with reads or writes (SHARE UPDATE EXCLUSIVE), but whose wait
     * for older transactions {@code lock_timeout} would cut short: it waits as long as it takes.
     */
    private void nonBlocking(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET lock_timeout = 0");
            s.execute(sql);
        }
    }

    private boolean hasColumn(String table, String column) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ? AND NOT attisdropped")) {
            s.setString(1, table);
            s.setString(2, column);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether the constraint is validated; null when it does not exist. */
    private Boolean constraintValidated(String constraint) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT convalidated FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?")) {
            s.setString(1, task);
            s.setString(2, constraint);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ row steps

    /**
     * The deployed rows' counters, {@link #BATCH_ROWS} jobs per transaction in id order: a null
     * {@code completed_segments} becomes 0, a job with task rows gets its completed and failed counts from
     * them (the deployed workers counted wrong), and a null {@code total_segments} becomes its number of rows.
     * Writes only the rows that differ, so running it again changes nothing.
     */
    private void recomputeCounters() throws SQLException {
        String sql = """
                WITH b AS (SELECT job_id FROM %1$s %%AFTER%% ORDER BY job_id LIMIT %4$d),
                c AS (SELECT t.%3$s AS job_id, count(*) AS n,
                             count(*) FILTER (WHERE t.status = 'COMPLETED') AS completed,
                             count(*) FILTER (WHERE t.status = 'FAILED') AS failed
                      FROM %2$s t WHERE t.%3$s IN (SELECT job_id FROM b) GROUP BY t.%3$s),
                u AS (UPDATE %1$s j
                      SET completed_segments = CASE WHEN c.job_id IS NULL THEN coalesce(j.completed_segments, 0)
                                                    ELSE c.completed END,
                          failed_segments = CASE WHEN c.job_id IS NULL THEN j.failed_segments ELSE c.failed END,
                          total_segments = CASE WHEN j.total_segments IS NULL AND c.n > 0 THEN c.n
                                                ELSE j.total_segments END
                      FROM b LEFT JOIN c ON c.job_id = b.job_id
                      WHERE j.job_id = b.job_id
                        AND (j.completed_segments IS NULL
                             OR (c.job_id IS NOT NULL AND (j.completed_segments IS DISTINCT FROM c.completed
                                                           OR j.failed_segments IS DISTINCT FROM c.failed))
                             OR (j.total_segments IS NULL AND c.n > 0))
                      RETURNING 1)
                SELECT (SELECT job_id FROM b ORDER BY job_id DESC LIMIT 1), (SELECT count(*) FROM u)""".formatted(
                job, task, taskJob, BATCH_ROWS);
        batches(sql, "job_id");
    }

    /** Tasks the deployed workers left IN_PROGRESS hold no lease: one that expired when they were last written. */
    private void expireLeftLeases() throws SQLException {
        String sql = """
                WITH b AS (SELECT task_id FROM %1$s %%AFTER%% ORDER BY task_id LIMIT %2$d),
                u AS (UPDATE %1$s t SET lease_expires_at = t.updated_at FROM b
                      WHERE t.task_id = b.task_id AND t.status = 'IN_PROGRESS' AND t.lease_expires_at IS NULL
                      RETURNING 1)
                SELECT (SELECT task_id FROM b ORDER BY task_id DESC LIMIT 1), (SELECT count(*) FROM u)""".formatted(
                task, BATCH_ROWS);
        batches(sql, "task_id");
    }

    /**
     * Runs a keyset batch statement to the end: {@code %AFTER%} in it becomes nothing for the first batch,
     * then {@code WHERE <key> > ?} with the last key done; its result's first column is the batch's last key.
     */
    private void batches(String sql, String key) throws SQLException {
        Object last = null;
        try (PreparedStatement first = connection.prepareStatement(sql.replace("%AFTER%", ""));
                PreparedStatement next = connection.prepareStatement(sql.replace("%AFTER%", "WHERE " + key + " > ?"))) {
            while (true) {
                PreparedStatement s = last == null ? first : next;
                if (last != null) {
                    s.setObject(1, last);
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    Object key0 = rs.getObject(1);
                    if (key0 == null) {
                        return;
                    }
                    last = key0;
                }
            }
        }
    }
}
