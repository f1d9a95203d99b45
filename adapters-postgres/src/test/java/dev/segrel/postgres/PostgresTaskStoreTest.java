package dev.segrel.postgres;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.ResultTooLargeException;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.port.out.TaskStore.Lease;
import dev.segrel.core.port.out.TaskStore.NewJob;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.store.TaskStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresTaskStoreTest extends TaskStoreContract {

    private static TestingPostgres.Schema schema;
    private static Postgres postgres;

    @BeforeAll
    static void start() {
        schema = TestingPostgres.shared().freshSchema();
        postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(4).withMaxResultBytes(100_000));
        postgres.migrator().migrate();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Override
    protected TaskStore store() {
        return postgres.taskStore();
    }

    @Override
    protected Outbox outbox() {
        return postgres.outbox();
    }

    @Test
    void resultJsonIsExactlyTheListOfMappings() {
        NewJob job = created(aJob().withTasks(1));
        store().complete(claim(job, 0, "w1", T0), List.of(new Mapping("M", List.of(Segment.of("S", 0, 10)))), T0);

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

        assertThatThrownBy(() -> store().complete(lease, List.of(new Mapping("M", many)), T0))
                .isInstanceOf(ResultTooLargeException.class)
                .hasMessageContaining(job.jobId() + "/S0")
                .hasMessageContaining("SEGREL_MAX_RESULT_BYTES");

        var status = store().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.completedSegments()).isZero();
        assertThat(status.inProgress()).isEqualTo(1);
        assertThat(store().complete(lease, List.of(), T0)).isEqualTo(new TaskStore.Completed(lease.key(), true, JobState.COMPLETED));
    }
}
