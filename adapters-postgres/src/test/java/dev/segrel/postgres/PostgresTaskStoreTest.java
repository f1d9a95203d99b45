package dev.segrel.postgres;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.ResultTooLargeException;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.store.BacklogContract;
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
    class AsBacklog extends BacklogContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }

        @Override
        protected Backlog backlog() {
            return postgres.backlog();
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

        @Test
        void aResultTooLargeInASetIsThatTasksPermanentFailureAndLeavesItsSetMatesAlone() {
            NewJob job = created(aJob().withTasks(3));
            Lease large = claim(job, 0, "w1", T0);
            Lease mate = claim(job, 1, "w1", T0);
            List<Segment> many = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                many.add(Segment.of("segment-" + i, i, i + 1));
            }

            List<TaskCompletions.EndResult> results = completions().endAll(List.of(
                    TaskCompletions.Ending.success(large, List.of(new Mapping("M", many))),
                    TaskCompletions.Ending.success(mate, result("M2"))), 3, T0);

            assertThat(results.get(0)).isInstanceOfSatisfying(TaskCompletions.FailedForGood.class, f -> {
                assertThat(f.key()).isEqualTo(large.key());
                assertThat(f.attempts()).isEqualTo(1);
                assertThat(f.error()).startsWith("result of " + large.key() + " is ")
                        .endsWith(" bytes, more than the 100000 allowed (SEGREL_MAX_RESULT_BYTES)");
                assertThat(reads().task(large.key()).orElseThrow().error()).isEqualTo(f.error());
            });
            assertThat(results.get(1)).isEqualTo(new TaskCompletions.Completed(mate.key(), false, JobState.IN_PROGRESS));
            var status = jobs().jobStatus(job.jobId()).orElseThrow();
            assertThat(status.failedSegments()).isEqualTo(1);
            assertThat(status.completedSegments()).isEqualTo(1);
        }

        @Test
        void theResultSizeIsCountedInUtf8Bytes() {
            assertThat(PostgresTaskCompletions.utf8Length("a\u00e9\u20ac\ud83d\ude00\ud800"))
                    .isEqualTo("a\u00e9\u20ac\ud83d\ude00\ud800".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
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
