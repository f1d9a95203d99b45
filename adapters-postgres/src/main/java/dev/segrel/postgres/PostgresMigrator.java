package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.StoreUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies segrel's Flyway migrations ({@code classpath:db/migration}) to the connection's current
 * schema. A schema the existing service created (its {@code root_job} and {@code segment_task}
 * tables, without Flyway's history) is adopted: baselined at version 0, then upgraded in place,
 * keeping every row. Running it again is a no-op. Safe to run from several processes at once
 * (Flyway locks its history table).
 */
public final class PostgresMigrator {

    /** segrel's own history table, apart from any other tool's. */
    public static final String HISTORY_TABLE = "segrel_schema_history";

    private final DataSource dataSource;

    public PostgresMigrator(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /**
     * What a run did.
     *
     * @param applied migrations applied by this run (0 when up to date)
     * @param fromVersion the schema version before, or null for an empty schema
     * @param toVersion the schema version after
     * @param adoptedLegacySchema true when this run found the existing service's tables and adopted them
     */
    public record MigrationReport(int applied, String fromVersion, String toVersion, boolean adoptedLegacySchema) {
        @Override
        public String toString() {
            if (applied == 0) {
                return "schema up to date at version " + toVersion;
            }
            return "applied " + applied + " migration(s): " + (fromVersion == null ? "empty" : fromVersion) + " -> "
                    + toVersion + (adoptedLegacySchema ? " (adopted the existing service's tables)" : "");
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
     * Reads the migration history, changing nothing.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws IllegalStateException when the history cannot be read
     */
    public SchemaStatus status() {
        try {
            MigrationInfoService info = flyway().info();
            return new SchemaStatus(info.current() == null ? null : info.current().getVersion().getVersion(),
                    info.pending().length);
        } catch (FlywayException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof SQLException sql) {
                throw new StoreUnavailableException("cannot reach PostgreSQL: " + Secrets.redact(sql.getMessage()), sql);
            }
            throw new IllegalStateException("cannot read the migration history: " + Secrets.redact(e.getMessage()), e);
        }
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("tables of the existing service")
                .load();
    }

    /**
     * Applies pending migrations.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws IllegalStateException when a migration fails (nothing of that migration is kept)
     */
    public MigrationReport migrate() {
        boolean legacy = hasLegacyTablesWithoutHistory();
        Flyway flyway = flyway();
        try {
            MigrateResult result = flyway.migrate();
            return new MigrationReport(
                    result.migrationsExecuted,
                    legacy ? "0" : result.initialSchemaVersion,
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    legacy);
        } catch (FlywayException e) {
            throw new IllegalStateException("migration failed: " + Secrets.redact(e.getMessage()), e);
        }
    }

    private boolean hasLegacyTablesWithoutHistory() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('root_job') IS NOT NULL AND to_regclass('"
                        + HISTORY_TABLE + "') IS NULL")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reach PostgreSQL: " + Secrets.redact(e.getMessage()), e);
        }
    }
}
