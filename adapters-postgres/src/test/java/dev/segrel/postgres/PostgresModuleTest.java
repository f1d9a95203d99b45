package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresModuleTest {

    @Test
    void theModuleBuildsTheStoreFromPostgresUrlInTheSettings() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        Settings settings = Settings.of(Map.of("POSTGRES_URL", schema.jdbcUrl(), "SEGREL_POSTGRES_POOL_SIZE", "2"));
        Injector injector = Guice.createInjector(new PostgresModule(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(Settings.class).toInstance(settings);
            }
        });
        try (Postgres postgres = injector.getInstance(Postgres.class)) {
            assertThat(injector.getInstance(PostgresConfig.class).poolSize()).isEqualTo(2);
            injector.getInstance(PostgresMigrator.class).migrate();

            assertThat(injector.getInstance(Jobs.class)).isSameAs(postgres.jobs());
            assertThat(injector.getInstance(TaskClaims.class)).isSameAs(postgres.claims());
            assertThat(injector.getInstance(TaskCompletions.class)).isSameAs(postgres.completions());
            assertThat(injector.getInstance(TaskRecovery.class)).isSameAs(postgres.recovery());
            assertThat(injector.getInstance(TaskReads.class)).isSameAs(postgres.reads());
            assertThat(injector.getInstance(Outbox.class)).isSameAs(postgres.outbox());
            assertThat(injector.getInstance(Jobs.class).jobStatus(JobId.random())).isEmpty();
        }
    }
}
