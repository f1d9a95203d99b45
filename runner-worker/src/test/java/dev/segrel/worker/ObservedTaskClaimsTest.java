package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.TaskClaims.ClaimRequest;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedTaskClaimsTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Test
    void onlyClaimsThatTakeAnExpiredLeaseOverAreCountedAsTakeovers() {
        InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
        JobId job = JobId.random();
        store.createJob(JobTestData.aJob().withId(job).withTasks(2).build(), T0);
        WorkerMetrics metrics = new WorkerMetrics();
        ObservedTaskClaims claims = new ObservedTaskClaims(store, metrics);
        TaskKey first = new TaskKey(job, JobTestData.segmentId(0));
        TaskKey second = new TaskKey(job, JobTestData.segmentId(1));

        claims.claim(first, null, "w1", T0, LEASE);
        claims.claim(second, null, "w1", T0, LEASE);
        claims.claim(first, null, "w2", T0.plusSeconds(1), LEASE);
        double whileHeld = metrics.registry().get("segrel.lease.takeovers").counter().count();
        claims.claimAll(List.of(new ClaimRequest(first, null, null), new ClaimRequest(second, null, null)), "w2",
                T0.plus(LEASE), LEASE);

        assertThat(whileHeld).isZero();
        assertThat(metrics.registry().get("segrel.lease.takeovers").counter().count()).isEqualTo(2.0);
    }
}
