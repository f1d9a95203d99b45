package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.Lease;
import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.Backlog.Snapshot;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Backlog} must count: the tasks waiting (QUEUED or RETRYING) with the oldest
 * of them, and the outbox messages not sent yet with the oldest of them. The store may hold the
 * rows of other tests: each test looks at what its own rows add, at times older than any other
 * test's, so that its rows are the oldest.
 */
public abstract class BacklogContract extends TaskStoreContractSupport {

    private static final AtomicLong earlier = new AtomicLong();

    /** The backlog over the same state as {@link #stores()}. */
    protected abstract Backlog backlog();

    /** A time before any row the other tests (and the earlier tests of this class) wrote. */
    private static Instant longAgo() {
        return Instant.parse("2001-01-01T00:00:00Z").minus(Duration.ofDays(earlier.incrementAndGet()));
    }

    @Test
    public void waitingTasksAreCountedWithTheTimeTheOldestOfThemBeganToWait() {
        Instant then = longAgo();
        Snapshot before = backlog().snapshot();
        NewJob job = aJob().withTasks(3).build();
        jobs().createJob(job, then);

        Snapshot waiting = backlog().snapshot();
        Lease one = claim(job, 0, "w1", then.plusSeconds(5));
        completions().fail(one, "timeout", false, 3, then.plusSeconds(10));
        claim(job, 1, "w1", then.plusSeconds(20));
        claim(job, 2, "w1", then.plusSeconds(20));
        Snapshot retrying = backlog().snapshot();

        assertThat(waiting.waitingTasks()).isEqualTo(before.waitingTasks() + 3);
        assertThat(waiting.oldestWaitingSince()).contains(then);
        assertThat(retrying.waitingTasks()).as("claimed tasks do not wait; a retried one does")
                .isEqualTo(before.waitingTasks() + 1);
        assertThat(retrying.oldestWaitingSince()).contains(then.plusSeconds(10));
    }

    @Test
    public void unsentCompletionMessagesAreCountedWithTheTimeTheOldestWasWritten() {
        Instant then = longAgo();
        NewJob job = aJob().withTasks(1).build();
        jobs().createJob(job, then);
        Lease lease = claim(job, 0, "w1", then);
        Snapshot before = backlog().snapshot();

        completions().complete(lease, result("M2"), then.plusSeconds(1));
        Snapshot pending = backlog().snapshot();
        List<Outbox.Message> mine = completionMessages(job.jobId());
        mine.forEach(m -> stores().outbox().markSent(m, "contract", then.plusSeconds(2)));
        Snapshot sent = backlog().snapshot();

        assertThat(mine).hasSize(1);
        assertThat(pending.pendingMessages()).isEqualTo(before.pendingMessages() + 1);
        assertThat(pending.oldestPendingSince()).contains(then.plusSeconds(1));
        assertThat(sent.pendingMessages()).isEqualTo(before.pendingMessages());
        assertThat(sent.oldestPendingSince()).isEqualTo(before.oldestPendingSince());
    }
}
