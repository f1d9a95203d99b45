package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
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
 * <p>All pending migrations apply in one transaction: a refused or failed adoption leaves the schema as
 * it was. Running it again is a no-op. Safe to run from several processes at once (Flyway locks its
 * history table).
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

    /** A migrator that detects the layout. */
    public PostgresMigrator(DataSource dataSource) {
        this(dataSource, Optional.empty());
    }

    /**
     * A migrator that uses {@code configured} when segrel has recorded no layout yet (empty: detect it).
     */
    public PostgresMigrator(DataSource dataSource, Optional<TableLayout> configured) {
        this.dataSource = new UtcSessions(requireNonNull(dataSource, "dataSource is null"));
        this.configured = requireNonNull(configured, "configured is null");
    }

    /**
     * What a run did.
     *
     * @param applied migrations applied by this run (0 when up to date)
     * @param fromVersion the schema version before, or null for an empty schema
     * @param toVersion the schema version after
     * @param adoptedLegacySchema true when this run found a deployed service's tables and adopted them
     * @param layout the layout the schema is in
     */
    public record MigrationReport(int applied, String fromVersion, String toVersion, boolean adoptedLegacySchema,
            TableLayout layout) {

        public MigrationReport {
            requireNonNull(layout, "layout is null");
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
     * @throws IllegalStateException when a migration fails (nothing of this run is kept)
     */
    public MigrationReport migrate() {
        LayoutDetector.Decision decision = decide();
        try {
            MigrateResult result = flyway(decision.layout()).migrate();
            boolean adopted = decision.deployedTablesWithoutHistory();
            return new MigrationReport(
                    result.migrationsExecuted,
                    adopted ? "0" : result.initialSchemaVersion,
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    adopted,
                    decision.layout());
        } catch (FlywayException e) {
            throw translate(e, "migration failed");
        }
    }

    private LayoutDetector.Decision decide() {
        try (Connection c = dataSource.getConnection()) {
            return LayoutDetector.decide(c, configured);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reach PostgreSQL: " + oneLine(e.getMessage()), e);
        }
    }

    private Flyway flyway(TableLayout layout) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(layout.locations().toArray(String[]::new))
                .placeholders(layout.placeholders())
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
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
