package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.port.out.TaskRecovery;
import org.jdbi.v3.core.Jdbi;

/**
 * Binds the task store's ports ({@link Jobs}, {@link TaskClaims}, {@link TaskCompletions},
 * {@link TaskRecovery}, {@link TaskReads}), {@link Outbox}, {@link Backlog}, {@link RejectedMessages}, {@link PostgresMigrator} and {@link Postgres} (whose pool
 * the runner closes at shutdown) from {@code POSTGRES_URL} and the other keys of
 * {@link PostgresConfig}. Needs a {@link Settings} binding. Migrations are not run here: the
 * runner runs {@link PostgresMigrator#migrate()} when {@link PostgresConfig#migrateOnStart()} says so.
 */
public final class PostgresModule extends AbstractModule {

    private final PostgresConfig config;

    /** Reads the config from the bound {@link Settings}. */
    public PostgresModule() {
        this.config = null;
    }

    /** Uses this config (tests, dev stack). */
    public PostgresModule(PostgresConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Provides
    @Singleton
    PostgresConfig postgresConfig(Settings settings) {
        return config != null ? config : PostgresConfig.fromSettings(settings);
    }

    @Provides
    @Singleton
    Postgres postgres(PostgresConfig postgresConfig) {
        return Postgres.connect(postgresConfig);
    }

    @Provides
    @Singleton
    Jdbi jdbi(Postgres postgres) {
        return postgres.jdbi();
    }

    @Provides
    @Singleton
    Jobs jobs(Postgres postgres) {
        return postgres.jobs();
    }

    @Provides
    @Singleton
    Batches batches(Postgres postgres) {
        return postgres.batches();
    }

    @Provides
    @Singleton
    TaskClaims claims(Postgres postgres) {
        return postgres.claims();
    }

    @Provides
    @Singleton
    TaskCompletions completions(Postgres postgres) {
        return postgres.completions();
    }

    @Provides
    @Singleton
    TaskRecovery recovery(Postgres postgres) {
        return postgres.recovery();
    }

    @Provides
    @Singleton
    TaskReads reads(Postgres postgres) {
        return postgres.reads();
    }

    @Provides
    @Singleton
    Backlog backlog(Postgres postgres) {
        return postgres.backlog();
    }

    @Provides
    @Singleton
    Outbox outbox(Postgres postgres) {
        return postgres.outbox();
    }

    @Provides
    @Singleton
    RejectedMessages rejectedMessages(Postgres postgres) {
        return postgres.rejectedMessages();
    }

    @Provides
    @Singleton
    PostgresMigrator migrator(Postgres postgres) {
        return postgres.migrator();
    }
}
