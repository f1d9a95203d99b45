package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.StoreUnavailableException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL adapter built without a DI container: a connection pool and Jdbi over it, and the
 * store, outbox and migrator on top. Close it to close the pool.
 *
 * <pre>{@code
 * try (Postgres postgres = Postgres.connect(PostgresConfig.fromSettings(Settings.of(System.getenv())))) {
 *     postgres.migrator().migrate();
 *     Jobs jobs = postgres.jobs();
 * }
 * }</pre>
 */
public final class Postgres implements AutoCloseable {

    private final PostgresConfig config;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final PostgresJobs jobs;
    private final PostgresTaskClaims claims;
    private final PostgresTaskCompletions completions;
    private final PostgresTaskRecovery recovery;
    private final PostgresTaskReads reads;
    private final PostgresOutbox outbox;
    private final PostgresRejectedMessages rejected;
    private final PostgresBatches batches;
    private final PostgresBacklog backlog;

    private Postgres(PostgresConfig config, HikariDataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
        this.jdbi = jdbi(dataSource);
        TaskTables tables = new TaskTables(jdbi);
        this.jobs = new PostgresJobs(tables);
        this.claims = new PostgresTaskClaims(tables);
        this.completions = new PostgresTaskCompletions(tables, config.maxResultBytes());
        this.recovery = new PostgresTaskRecovery(tables);
        this.reads = new PostgresTaskReads(tables);
        this.outbox = new PostgresOutbox(jdbi);
        this.rejected = new PostgresRejectedMessages(jdbi);
        this.backlog = new PostgresBacklog(jdbi);
        this.batches = new PostgresBatches(tables);
    }

    /**
     * Opens the pool (named {@code poolName} in metrics and logs) and checks one connection.
     *
     * @throws StoreUnavailableException when the server cannot be reached or refuses the login
     */
    public static Postgres connect(PostgresConfig config, String poolName) {
        requireNonNull(config, "config is null");
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(requireNonNull(poolName, "poolName is null"));
        hikari.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(10_000);
        // the deployed layouts keep timestamps without time zone, written in UTC; the driver's session zone
        // is the JVM's, so without this a worker outside UTC would shift them
        hikari.setConnectionInitSql(PostgresMigrator.UTC_SESSION + "; " + config.timeouts().sessionSql());
        // a server that accepts and never answers must not hold a thread forever; the URL's own values win
        hikari.addDataSourceProperty("socketTimeout", Integer.toString(config.timeouts().socketSeconds()));
        hikari.addDataSourceProperty("connectTimeout", Integer.toString(PostgresTimeouts.CONNECT_SECONDS));
        hikari.addDataSourceProperty("loginTimeout", Integer.toString(PostgresTimeouts.CONNECT_SECONDS));
        hikari.setValidationTimeout(5_000);
        // one attempt: a worker that cannot reach its database at start says so at once
        hikari.setInitializationFailTimeout(1);
        try {
            return new Postgres(config, new HikariDataSource(hikari));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new StoreUnavailableException("cannot connect to PostgreSQL at " + config.displayUrl() + ": "
                    + Secrets.scrub(String.valueOf(root.getMessage()).replace(config.jdbcUrl(), config.displayUrl()),
                            config.password()), null);
        }
    }

    public static Postgres connect(PostgresConfig config) {
        return connect(config, "segrel-postgres");
    }

    /** Jdbi over any data source, configured as the adapter needs it. */
    public static Jdbi jdbi(DataSource dataSource) {
        return Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /**
     * Asks the server for one trivial answer (readiness probes, {@code doctor}).
     *
     * @throws StoreUnavailableException when it does not answer
     */
    public void ping() {
        try {
            jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
        } catch (org.jdbi.v3.core.JdbiException e) {
            throw Failures.translate(e, "pinging PostgreSQL");
        }
    }

    /**
     * The server's clock now ({@code clock_timestamp()}): lease expiry is judged on one clock for every
     * worker, the database's, and a worker measures its own offset to it with this.
     *
     * @throws StoreUnavailableException when it does not answer
     */
    public java.time.Instant serverTime() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT clock_timestamp()")
                    .mapTo(java.time.OffsetDateTime.class).one()).toInstant();
        } catch (org.jdbi.v3.core.JdbiException e) {
            throw Failures.translate(e, "reading PostgreSQL's clock");
        }
    }

    /**
     * Checks that the database holds segrel's tables, so that a command on an unmigrated database says
     * what to do instead of failing on a missing table.
     *
     * @throws StoreUnavailableException naming the fix when they are missing, or when the server does not answer
     */
    public void requireSchema() {
        boolean migrated;
        try {
            migrated = jdbi.withHandle(h -> h.createQuery(
                            "SELECT to_regclass('root_job') IS NOT NULL AND to_regclass('segment_task') IS NOT NULL")
                    .mapTo(Boolean.class)
                    .one());
        } catch (org.jdbi.v3.core.JdbiException e) {
            throw Failures.translate(e, "reading the schema");
        }
        if (!migrated) {
            throw new StoreUnavailableException("PostgreSQL at " + config.displayUrl()
                    + " has no segrel tables: run 'segrel migrate' first", null);
        }
    }

    public PostgresConfig config() {
        return config;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public PostgresBatches batches() {
        return batches;
    }

    public PostgresJobs jobs() {
        return jobs;
    }

    public PostgresTaskClaims claims() {
        return claims;
    }

    public PostgresTaskCompletions completions() {
        return completions;
    }

    public PostgresTaskRecovery recovery() {
        return recovery;
    }

    public PostgresTaskReads reads() {
        return reads;
    }

    /** What waits in the store, for monitoring. */
    public Backlog backlog() {
        return backlog;
    }

    public PostgresOutbox outbox() {
        return outbox;
    }

    public PostgresRejectedMessages rejectedMessages() {
        return rejected;
    }

    /** Jobs whose total_segments disagrees with their task rows, on the pool. */
    public PostgresCountChecks countChecks() {
        return new PostgresCountChecks(jdbi);
    }

    /**
     * The migrator, on connections of its own (Flyway holds two at once while it migrates, which a
     * small pool busy with workers may not have to spare).
     */
    public PostgresMigrator migrator() {
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setURL(config.jdbcUrl());
        if (config.user() != null) {
            direct.setUser(config.user());
        }
        if (config.password() != null) {
            direct.setPassword(config.password());
        }
        return new PostgresMigrator(direct, config.tableLayout(),
                java.time.Duration.ofMillis(config.migrateLockTimeoutMillis()));
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
