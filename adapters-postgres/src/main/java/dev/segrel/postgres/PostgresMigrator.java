package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.util.PSQLException;

/**
 * Applies segrel's Flyway migrations to the connection's current schema, in the {@link TableLayout} the
 * schema holds, adopting a deployed service's tables in place (every row, column, constraint and name is
 * kept). Which layout: the one segrel recorded when it adopted the schema ({@code segrel_layout}); else
 * the configured one ({@code SEGREL_TABLE_LAYOUT}); else the one the base tables match, an empty schema
 * getting segrel's own (readme). A schema that matches none or several is refused with a
 * {@link LayoutException}, changing nothing.
 *
 * <p>A deployed service's tables are adopted while its producer and readers go on ({@link OnlineAdoption}):
 * short catalog changes under a bounded lock wait that is tried again ({@link LockWaits},
 * {@code SEGREL_MIGRATE_LOCK_TIMEOUT_MS}), constraints validated and indexes built without blocking writes,
 * rows rewritten in batches; each step is done again or skipped after a crash. Flyway then records the first
 * migration as its baseline and applies the later ones (short catalog changes) in one transaction, under
 * the same bounded lock wait. Duplicate tasks are refused, changing nothing, unless the newest of each is to
 * be kept. Jobs whose tasks all ended are finished ({@link FinishedLegacyJobs}). Running it again is a no-op.
 * Safe to run from several processes at once (Flyway locks its history table). Refuses PostgreSQL older than
 * {@value ServerVersion#MINIMUM_MAJOR}.
 */
public final class PostgresMigrator {

    /** segrel's own history table, apart from any other tool's. */
    public static final String HISTORY_TABLE = "segrel_schema_history";

    /** SQLSTATE a migration raises when the rows it finds stop it (duplicate tasks); its message is one line. */
    static final String REFUSED_STATE = "SG001";

    /** Sessions read and write timestamps without time zone (the deployed layouts' columns) as UTC. */
    static final String UTC_SESSION = "SET TIME ZONE 'UTC'";

    private final DataSource dataSource;
    private final Optional<TableLayout> configured;
    private final java.util.function.Supplier<LockWaits> lockWaits;

    /** A migrator that detects the layout. */
    public PostgresMigrator(DataSource dataSource) {
        this(dataSource, Optional.empty());
    }

    /**
     * A migrator that uses {@code configured} when segrel has recorded no layout yet (empty: detect it).
     */
    public PostgresMigrator(DataSource dataSource, Optional<TableLayout> configured) {
        this(dataSource, configured, Duration.ofMillis(PostgresConfig.DEFAULT_MIGRATE_LOCK_TIMEOUT_MILLIS));
    }

    /** A migrator whose lock waits last at most {@code lockTimeout} each ({@code SEGREL_MIGRATE_LOCK_TIMEOUT_MS}). */
    public PostgresMigrator(DataSource dataSource, Optional<TableLayout> configured, Duration lockTimeout) {
        this(dataSource, configured, () -> LockWaits.of(lockTimeout));
    }

    PostgresMigrator(DataSource dataSource, Optional<TableLayout> configured, java.util.function.Supplier<LockWaits> lockWaits) {
        this.lockWaits = requireNonNull(lockWaits, "lockWaits is null");
        this.dataSource = new UtcSessions(requireNonNull(dataSource, "dataSource is null"), lockWaits.get().setting());
        this.configured = requireNonNull(configured, "configured is null");
    }

    /**
     * Refuses a server older than PostgreSQL {@value ServerVersion#MINIMUM_MAJOR} (what {@link #migrate} checks
     * first), for a worker that does not migrate at start.
     *
     * @throws LayoutException naming both versions when it is older
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public void requireSupportedServer() {
        try (Connection c = dataSource.getConnection()) {
            ServerVersion.require(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reach PostgreSQL: " + oneLine(e.getMessage()), e);
        }
    }

    /** How long one attempt waits for a table's lock ({@code SEGREL_MIGRATE_LOCK_TIMEOUT_MS}). */
    public Duration lockTimeout() {
        return lockWaits.get().lockTimeout();
    }

    /**
     * What a run did.
     *
     * @param applied migrations applied by this run (0 when up to date)
     * @param fromVersion the schema version before, or null for an empty schema
     * @param toVersion the schema version after
     * @param adoptedLegacySchema true when this run found a deployed service's tables and adopted them
     * @param layout the layout the schema is in
     * @param duplicatesDeleted task rows deleted because a newer row of their (job, segment) was kept
     * @param jobsFinished jobs whose tasks had all ended, finished by this run (status and completion message)
     * @param lockRetries lock waits that ran out of time and were tried again
     */
    public record MigrationReport(int applied, String fromVersion, String toVersion, boolean adoptedLegacySchema,
            TableLayout layout, long duplicatesDeleted, long jobsFinished, int lockRetries) {

        public MigrationReport {
            requireNonNull(layout, "layout is null");
            if (duplicatesDeleted < 0 || jobsFinished < 0 || lockRetries < 0) {
                throw new IllegalArgumentException("counts must be >= 0, were " + duplicatesDeleted + ", " + jobsFinished
                        + ", " + lockRetries);
            }
        }

        /** What this run did to the rows, for the operator: empty when nothing. */
        public String rowsSummary() {
            List<String> parts = new ArrayList<>();
            if (duplicatesDeleted > 0) {
                parts.add("deleted " + duplicatesDeleted + " duplicate task row(s), keeping the newest of each");
            }
            if (jobsFinished > 0) {
                parts.add("finished " + jobsFinished + " job(s) whose tasks had all ended");
            }
            return String.join("; ", parts);
        }

        @Override
        public String toString() {
            if (applied == 0) {
                return "schema up to date at version " + toVersion + ", " + layout.describe() + " layout";
            }
            return "applied " + applied + " migration(s): " + (fromVersion == null ? "empty" : fromVersion) + " -> "
                    + toVersion + (adoptedLegacySchema ? ", adopted the deployed " : ", ") + layout.describe() + " layout";
        }
    }

    /**
     * Where the schema stands.
     *
     * @param currentVersion the applied version, or null when segrel's tables do not exist yet
     * @param pending migrations not applied yet
     */
    public record SchemaStatus(String currentVersion, int pending) {
        public boolean upToDate() {
            return pending == 0 && currentVersion != null;
        }
    }

    /**
     * The layout of the schema, as {@link #migrate} would decide it.
     *
     * @param layout the layout
     * @param adopted true when segrel has adopted it already; false when {@link #migrate} would
     */
    public record LayoutStatus(TableLayout layout, boolean adopted) {

        public LayoutStatus {
            requireNonNull(layout, "layout is null");
        }

        @Override
        public String toString() {
            return layout.describe() + (adopted ? "" : ", not adopted yet");
        }
    }

    /**
     * Decides the layout, changing nothing.
     *
     * @throws LayoutException when the schema matches no layout or several, or disagrees with the configured one
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public LayoutStatus layout() {
        LayoutDetector.Decision decision = decide();
        return new LayoutStatus(decision.layout(), decision.recorded());
    }

    /**
     * Reads the migration history, changing nothing.
     *
     * @throws LayoutException when the layout cannot be decided ({@link #layout()})
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws IllegalStateException when the history cannot be read
     */
    public SchemaStatus status() {
        TableLayout layout = decide().layout();
        try {
            MigrationInfoService info = flyway(layout).info();
            return new SchemaStatus(info.current() == null ? null : info.current().getVersion().getVersion(),
                    info.pending().length);
        } catch (FlywayException e) {
            throw translate(e, "cannot read the migration history");
        }
    }

    /**
     * Applies pending migrations, adopting the schema's layout first when segrel has not yet.
     *
     * @throws LayoutException when the layout cannot be decided, or its rows cannot be adopted as they are
     *     (nothing is changed)
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws MigrationLockException when a table stayed locked by other sessions through every attempt
     * @throws IllegalStateException when a migration fails
     */
    public MigrationReport migrate() {
        return migrate(false);
    }

    /**
     * As {@link #migrate()}; with {@code keepNewest}, duplicate tasks of a layout being adopted are not refused:
     * the newest row of each (job, segment) is kept and the others deleted ({@link DuplicateTasks}).
     */
    public MigrationReport migrate(boolean keepNewest) {
        LayoutDetector.Decision decision = decide(keepNewest);
        LockWaits locks = lockWaits.get();
        TableLayout layout = decision.layout();
        boolean adopted = decision.deployedTablesWithoutHistory();
        long deleted = 0;
        try {
            boolean online = adopted && tablesExist(layout);
            if (online) {
                deleted = adoptOnline(layout, locks);
            }
            MigrateResult result = migrateScripts(layout, online, locks);
            long finished;
            try (Connection c = dataSource.getConnection()) {
                finished = FinishedLegacyJobs.finish(c);
            }
            return new MigrationReport(
                    result.migrationsExecuted,
                    adopted ? "0" : result.initialSchemaVersion,
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    adopted,
                    layout, deleted, finished, locks.retries());
        } catch (FlywayException e) {
            throw translate(e, "migration failed");
        } catch (SQLException e) {
            throw translate(new FlywayException(oneLine(e.getMessage()), e), "migration failed");
        }
    }

    private boolean tablesExist(TableLayout layout) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return OnlineAdoption.applies(c, layout);
        }
    }

    /** The deployed tables made ready for the store without holding them ({@link OnlineAdoption}); returns rows deleted. */
    private long adoptOnline(TableLayout layout, LockWaits locks) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (AdoptionLock held = AdoptionLock.await(c)) {
                long deleted = 0;
                DuplicateTasks duplicates = new DuplicateTasks(layout);
                if (duplicates.find(c).isPresent()) {
                    deleted = duplicates.keepNewest(c);
                }
                new OnlineAdoption(c, layout, locks).run();
                held.forgetFailedBaseline();
                return deleted;
            }
        }
    }

    /** Flyway's migrations in one transaction, tried again as a whole when a lock wait runs out. */
    private MigrateResult migrateScripts(TableLayout layout, boolean adoptedOnline, LockWaits locks) throws SQLException {
        MigrateResult[] result = new MigrateResult[1];
        locks.run(layout.jobTable() + " and " + layout.taskTable() + " (segrel's migrations)", () -> {
            try {
                result[0] = flyway(layout, adoptedOnline ? "1" : "0").migrate();
            } catch (FlywayException e) {
                if (LockWaits.timedOut(e)) {
                    throw new SQLException(oneLine(e.getMessage()), LockWaits.LOCK_NOT_AVAILABLE, e);
                }
                throw e;
            }
        });
        return result[0];
    }

    private LayoutDetector.Decision decide() {
        return decide(false);
    }

    private LayoutDetector.Decision decide(boolean allowDuplicates) {
        try (Connection c = dataSource.getConnection()) {
            return LayoutDetector.decide(c, configured, allowDuplicates);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reach PostgreSQL: " + oneLine(e.getMessage()), e);
        }
    }

    private Flyway flyway(TableLayout layout) {
        return flyway(layout, "0");
    }

    /**
     * @param baseline the version Flyway records for a schema that holds tables but no history: 0 (the first
     *     migration adopts them), or 1 when {@link OnlineAdoption} did what the first migration does
     */
    private Flyway flyway(TableLayout layout, String baseline) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(layout.locations().toArray(String[]::new))
                .placeholders(layout.placeholders())
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion(baseline)
                .baselineDescription("tables of the deployed service, " + layout.key() + " layout")
                // one transaction for the whole run: an adoption is complete or not at all
                .group(true)
                .load();
    }

    private static RuntimeException translate(FlywayException e, String doing) {
        SQLException sql = rootSql(e);
        if (sql != null && REFUSED_STATE.equals(sql.getSQLState())) {
            String message = sql instanceof PSQLException p && p.getServerErrorMessage() != null
                    ? p.getServerErrorMessage().getMessage() : sql.getMessage();
            return new LayoutException(oneLine(message));
        }
        if (sql != null && (sql.getSQLState() == null || sql.getSQLState().startsWith("08"))) {
            return new StoreUnavailableException("cannot reach PostgreSQL: " + oneLine(sql.getMessage()), e);
        }
        String first = String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
        String reason = sql == null ? first : first + ": " + String.valueOf(sql.getMessage()).strip().lines().findFirst().orElse("");
        return new IllegalStateException(doing + ": " + oneLine(reason), e);
    }

    private static SQLException rootSql(Throwable e) {
        SQLException found = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                found = sql;
            }
        }
        return found;
    }

    private static String oneLine(String message) {
        String text = message == null || message.isBlank() ? "(no message)" : message;
        return Secrets.redact(text.strip().replaceAll("\\s*\\R\\s*", " "));
    }
}
