package dev.segrel.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskClaims.Claimed;
import dev.segrel.core.port.out.TaskRecovery.PendingTask;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.port.out.TaskRecovery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the task store's contract suites share: the store under test, fixed times and helpers.
 */
public abstract class TaskStoreContractSupport {

    protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    protected static final Duration LEASE = Duration.ofSeconds(30);

    private static final AtomicLong looks = new AtomicLong();

    /** The store under test: its ports over one state, and the outbox it writes completions to. */
    protected abstract TaskStorePorts stores();

    protected final Jobs jobs() {
        return stores().jobs();
    }

    protected final TaskClaims claims() {
        return stores().claims();
    }

    protected final TaskCompletions completions() {
        return stores().completions();
    }

    protected final TaskRecovery recovery() {
        return stores().recovery();
    }

    protected final TaskReads reads() {
        return stores().reads();
    }

    protected NewJob created(JobTestData data) {
        NewJob job = data.build();
        jobs().createJob(job, T0);
        return job;
    }

    protected static TaskKey key(NewJob job, int i) {
        return new TaskKey(job.jobId(), JobTestData.segmentId(i));
    }

    protected Lease claim(NewJob job, int i, String owner, Instant now) {
        return assertClaimed(claims().claim(key(job, i), null, owner, now, LEASE)).task().lease();
    }

    protected static Claimed assertClaimed(ClaimResult result) {
        assertThat(result).isInstanceOf(Claimed.class);
        return (Claimed) result;
    }

    protected static List<Mapping> result(String manifestation) {
        return List.of(new Mapping(manifestation, List.of(Segment.of("x", 0, 5))));
    }

    protected List<PendingTask> strandedOf(NewJob job, Instant quietSince, Instant now) {
        return recovery().takeStranded(quietSince, 10_000, now).stream()
                .filter(t -> t.key().jobId().equals(job.jobId()))
                .toList();
    }

    /** The job's completion messages that are pending (taken under a lease that ends at once). */
    protected List<Outbox.Message> completionMessages(JobId jobId) {
        return pendingMessages().stream().filter(m -> m.messageId().equals("job-completed:" + jobId)).toList();
    }

    /** Every message of the job that is pending: its job and batch completion messages, of every run. */
    protected List<Outbox.Message> messagesOf(JobId jobId) {
        return pendingMessages().stream()
                .filter(m -> m.messageId().startsWith("job-completed:" + jobId)
                        || m.messageId().startsWith("batch-completed:" + jobId + ":"))
                .toList();
    }

    private List<Outbox.Message> pendingMessages() {
        // Each look comes later than the one before, so what an earlier look leased is visible again.
        Instant now = T0.plus(Duration.ofDays(3650)).plusSeconds(looks.incrementAndGet());
        return stores().outbox().take(10_000, "contract", now, Duration.ofMillis(1));
    }
}
