package dev.segrel.postgres;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.ResultTooLargeException;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.store.BatchesContract;
import dev.segrel.testkit.store.JobsContract;
import dev.segrel.testkit.store.OutboxContract;
import dev.segrel.testkit.store.TaskClaimsContract;
import dev.segrel.testkit.store.TaskCompletionsContract;
import dev.segrel.testkit.store.TaskReadsContract;
import dev.segrel.testkit.store.TaskRecoveryContract;
import dev.segrel.testkit.store.TaskStorePorts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PostgreSQL store passes every contract of the task store's ports, on the production migrations, in
 * every table layout: on segrel's own tables, and through the views over each deployed layout's tables
 * (with the deployed service's rows in them).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreDatabase.class)
class PostgresTaskStoreTest {

    @Parameter
    StoreDatabase database;

    private static TestingPostgres.Schema schema;
    private static Postgres postgres;

    @BeforeParameterizedClassInvocation
    static void start(StoreDatabase database) {
        schema = database.migrated();
        postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(4).withMaxResultBytes(100_000));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        postgres.close();
    }

    static TaskStorePorts ports() {
        return new TaskStorePorts(postgres.jobs(), postgres.claims(), postgres.completions(), postgres.recovery(),
                postgres.reads(), postgres.outbox(), postgres.batches());
    }

    @Nested
    class AsJobs extends JobsContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsBatches extends BatchesContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsTaskClaims extends TaskClaimsContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsTaskCompletions extends TaskCompletionsContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }

        @Test
        void resultJsonIsExactlyTheListOfMappings() {
            NewJob job = created(aJob().withTasks(1));
            completions().complete(claim(job, 0, "w1", T0), List.of(new Mapping("M", List.of(Segment.of("S", 0, 10)))), T0);

            String stored = schema.queryString(
                    "SELECT result_json::text FROM segment_task WHERE job_id = '" + job.jobId() + "'");

            assertThat(stored).isEqualTo("[{\"segments\": [{\"span\": {\"end\": 10, \"start\": 0}, \"segment_id\": \"S\"}], "
                    + "\"manifestation_id\": \"M\"}]");
        }

        @Test
        void aResultTooLargeForTheColumnIsRefusedAndNothingIsWritten() {
            NewJob job = created(aJob().withTasks(1));
            Lease lease = claim(job, 0, "w1", T0);
            List<Segment> many = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                many.add(Segment.of("segment-" + i, i, i + 1));
            }

            assertThatThrownBy(() -> completions().complete(lease, List.of(new Mapping("M", many)), T0))
                    .isInstanceOf(ResultTooLargeException.class)
                    .hasMessageContaining(job.jobId() + "/S0")
                    .hasMessageContaining("SEGREL_MAX_RESULT_BYTES");

            var status = jobs().jobStatus(job.jobId()).orElseThrow();
            assertThat(status.completedSegments()).isZero();
            assertThat(status.inProgress()).isEqualTo(1);
            assertThat(completions().complete(lease, List.of(), T0))
                    .isEqualTo(new TaskCompletions.Completed(lease.key(), true, JobState.COMPLETED));
        }
    }

    @Nested
    class AsTaskRecovery extends TaskRecoveryContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsTaskReads extends TaskReadsContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsOutbox extends OutboxContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }
}
