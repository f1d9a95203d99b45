package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.store.JobTestData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary counts every mismatched job and lists the first few by id, whatever the number asked for. */
class PostgresCountChecksTest {

    @Test
    void theSummaryCountsEveryMismatchedJobAndListsTheFirstOnes() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        try (Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(1))) {
            postgres.migrator().migrate();
            PostgresCountChecks checks = postgres.countChecks();
            assertThat(checks.all(3).jobs()).isZero();
            List<JobId> mismatched = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JobId job = JobId.random();
                postgres.jobs().createJob(JobTestData.aJob().withId(job).withTasks(1).build(), Instant.now());
                mismatched.add(job);
            }
            postgres.jobs().createJob(JobTestData.aJob().withId(JobId.random()).withTasks(1).build(), Instant.now());
            // four jobs counted two segments, ended with their one row
            schema.execute("UPDATE root_job SET total_segments = 2, status = 'COMPLETED' WHERE job_id IN ("
                    + String.join(", ", mismatched.stream().map(j -> "'" + j + "'").toList()) + ")");
            // PostgreSQL orders uuids by their bytes: as their hex text sorts, not as UUID.compareTo
            mismatched.sort(Comparator.comparing(JobId::toString));

            PostgresCountChecks.Summary two = checks.all(2);
            PostgresCountChecks.Summary none = checks.all(0);

            assertThat(two.jobs()).isEqualTo(4);
            assertThat(two.examples()).extracting(PostgresCountChecks.CountMismatch::jobId)
                    .containsExactly(mismatched.get(0), mismatched.get(1));
            assertThat(two.examples()).allSatisfy(m -> assertThat(m.describe()).endsWith("total_segments 2, 1 task row(s)"));
            assertThat(none.jobs()).isEqualTo(4);
            assertThat(none.examples()).isEmpty();
            assertThat(checks.all(10).examples()).hasSize(4);
        }
    }
}
