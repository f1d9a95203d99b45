package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Outbox} must do with the completion messages its store writes: lease them to
 * one relay at a time, oldest first; keep a sent message from being taken again; give a failed
 * one back at its retry time; let only the relay holding a row's lease renew or record it; count
 * the stuck ones. Messages are made by finishing jobs (a job without tasks is finished,
 * and announced, when it is created), so the outbox is tested together with its store.
 *
 * <p>Every test works far in the future of the others' messages ({@link #later}), so one outbox
 * may serve them all.
 */
public abstract class OutboxContract extends TaskStoreContractSupport {

    private static final Duration RELAY_LEASE = Duration.ofSeconds(60);

    @Test
    public void aFinishedJobsMessageIsTakenWithItsIdDestinationAndBody() {
        NewJob job = finishedJob("M-out");
        Instant now = later(1);

        List<Outbox.Message> taken = mine(outbox().take(10_000, "relay-1", now, RELAY_LEASE), Set.of(job));

        assertThat(taken).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo("job-completed:" + job.jobId());
            assertThat(m.destination()).isEqualTo("completed");
            assertThat(m.body()).contains("\"job_id\":\"" + job.jobId() + "\"", "\"manifestation_id\":\"M-out\"");
            assertThat(m.attempts()).isZero();
        });
    }

    @Test
    public void aTakenMessageIsLeasedToOneRelayUntilItsLeaseEnds() {
        NewJob job = finishedJob("M-lease");
        Instant now = later(2);
        assertThat(mine(outbox().take(10_000, "relay-1", now, RELAY_LEASE), Set.of(job))).hasSize(1);

        List<Outbox.Message> duringLease = outbox().take(10_000, "relay-2", now.plusSeconds(30), RELAY_LEASE);
        List<Outbox.Message> afterLease = outbox().take(10_000, "relay-2", now.plus(RELAY_LEASE).plusSeconds(1), RELAY_LEASE);

        assertThat(mine(duringLease, Set.of(job))).isEmpty();
        assertThat(mine(afterLease, Set.of(job))).hasSize(1);
    }

    @Test
    public void aSentMessageIsNeverTakenAgain() {
        NewJob job = finishedJob("M-sent");
        Instant now = later(3);
        Outbox.Message message = mine(outbox().take(10_000, "relay-1", now, RELAY_LEASE), Set.of(job)).get(0);

        assertThat(outbox().markSent(message, "relay-1", now)).isInstanceOf(Outbox.Held.class);
        assertThat(outbox().markSent(message, "relay-1", now.plusSeconds(1)))
                .as("a repeat by the holder, after a lost reply").isInstanceOf(Outbox.Held.class);

        assertThat(mine(outbox().take(10_000, "relay-1", now.plus(RELAY_LEASE).plusSeconds(1), RELAY_LEASE), Set.of(job)))
                .isEmpty();
    }

    @Test
    public void aFailedMessageComesBackAtItsRetryTimeWithOneMoreAttempt() {
        NewJob job = finishedJob("M-failed");
        Instant now = later(4);
        Outbox.Message message = mine(outbox().take(10_000, "relay-1", now, RELAY_LEASE), Set.of(job)).get(0);

        Outbox.Fenced failed = outbox().markFailed(message, "relay-1", "QueueUnavailableException: throttled", now,
                now.plusSeconds(10));

        assertThat(failed).isInstanceOf(Outbox.Held.class);
        assertThat(mine(outbox().take(10_000, "relay-1", now.plusSeconds(9), RELAY_LEASE), Set.of(job))).isEmpty();
        List<Outbox.Message> again = mine(outbox().take(10_000, "relay-1", now.plusSeconds(10), RELAY_LEASE), Set.of(job));
        assertThat(again).singleElement().satisfies(m -> assertThat(m.attempts()).isEqualTo(1));
    }

    @Test
    public void aRelayWhoseLeaseAnotherTookCanNeitherRenewNorRecordIt() {
        NewJob job = finishedJob("M-fenced");
        Instant now = later(6);
        Outbox.Message first = mine(outbox().take(10_000, "relay-1", now, RELAY_LEASE), Set.of(job)).get(0);
        Instant afterLease = now.plus(RELAY_LEASE).plusSeconds(1);
        Outbox.Message second = mine(outbox().take(10_000, "relay-2", afterLease, RELAY_LEASE), Set.of(job)).get(0);

        Outbox.Fenced renewed = outbox().renew(first, "relay-1", afterLease, RELAY_LEASE);
        Outbox.Fenced failed = outbox().markFailed(first, "relay-1", "late", afterLease, afterLease);
        Outbox.Fenced sent = outbox().markSent(first, "relay-1", afterLease);
        Outbox.Fenced sameOwnerOldToken = outbox().markSent(
                new Outbox.Message(first.id(), first.messageId(), first.destination(), first.body(), first.attempts(),
                        first.trace(), first.leaseToken()), "relay-2", afterLease);

        assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());
        assertThat(List.of(renewed, failed, sent, sameOwnerOldToken)).allSatisfy(
                f -> assertThat(f).isInstanceOf(Outbox.LeaseLost.class));
        assertThat(mine(outbox().take(10_000, "relay-3", afterLease.plusSeconds(1), RELAY_LEASE), Set.of(job)))
                .as("still leased to relay-2, not given back by relay-1's failure").isEmpty();
        assertThat(outbox().markSent(second, "relay-2", afterLease.plusSeconds(2))).isInstanceOf(Outbox.Held.class);
        assertThat(mine(outbox().take(10_000, "relay-3", afterLease.plus(RELAY_LEASE).plusSeconds(2), RELAY_LEASE),
                Set.of(job))).as("sent by relay-2").isEmpty();
    }

    @Test
    public void renewingKeepsTheMessageFromOtherRelaysForAnotherLease() {
        NewJob job = finishedJob("M-renew");
        Instant now = later(7);
        Outbox.Message message = mine(outbox().take(10_000, "relay-1", now, RELAY_LEASE), Set.of(job)).get(0);
        Instant nearTheEnd = now.plus(RELAY_LEASE).minusSeconds(1);

        assertThat(outbox().renew(message, "relay-1", nearTheEnd, RELAY_LEASE)).isInstanceOf(Outbox.Held.class);

        assertThat(mine(outbox().take(10_000, "relay-2", now.plus(RELAY_LEASE).plusSeconds(1), RELAY_LEASE), Set.of(job)))
                .isEmpty();
        assertThat(mine(outbox().take(10_000, "relay-2", nearTheEnd.plus(RELAY_LEASE).plusSeconds(1), RELAY_LEASE),
                Set.of(job))).hasSize(1);
    }

    @Test
    public void aMessageThatFailedTheLimitIsStuckAndKept() {
        NewJob job = finishedJob("M-stuck");
        Instant now = later(8);
        long before = outbox().stuck();
        for (int i = 1; i <= Outbox.STUCK_AFTER_ATTEMPTS; i++) {
            Instant at = now.plusSeconds(i);
            Outbox.Message message = mine(outbox().take(10_000, "relay-1", at, RELAY_LEASE), Set.of(job)).get(0);
            assertThat(outbox().stuck()).isEqualTo(before);
            outbox().markFailed(message, "relay-1", "QueueUnavailableException: down", at, at.plusMillis(500));
        }

        assertThat(outbox().stuck()).isEqualTo(before + 1);
        assertThat(outbox().stuckOf(job.jobId())).isEqualTo(1);
        assertThat(outbox().stuckOf(dev.segrel.core.domain.JobId.random())).isZero();
        assertThat(mine(outbox().take(10_000, "relay-1", now.plusSeconds(100), RELAY_LEASE), Set.of(job)))
                .singleElement().satisfies(m -> assertThat(m.attempts()).isEqualTo(Outbox.STUCK_AFTER_ATTEMPTS));
    }

    @Test
    public void takeHonoursItsLimitOldestFirst() {
        NewJob first = finishedJob("M-order");
        NewJob second = finishedJob("M-order");
        NewJob third = finishedJob("M-order");
        Instant now = later(5);

        List<Outbox.Message> all = outbox().take(10_000, "relay-1", now, Duration.ofMillis(1));
        List<Outbox.Message> ours = mine(all, Set.of(first, second, third));

        assertThat(ours).extracting(Outbox.Message::messageId).containsExactly(
                "job-completed:" + first.jobId(), "job-completed:" + second.jobId(), "job-completed:" + third.jobId());
        assertThat(outbox().take(2, "relay-1", now.plusSeconds(1), RELAY_LEASE)).hasSizeLessThanOrEqualTo(2);
    }

    /** A job finished (and announced) when created: it has no tasks. */
    private NewJob finishedJob(String manifestation) {
        NewJob job = aJob().withManifestation(manifestation).withTasks(0).build();
        jobs().createJob(job, T0);
        return job;
    }

    /** A time after everything every earlier test of this suite leased (each test has its own year). */
    private static Instant later(int test) {
        return T0.plus(Duration.ofDays(365L * 20 * test));
    }

    private Outbox outbox() {
        return stores().outbox();
    }

    private static List<Outbox.Message> mine(List<Outbox.Message> taken, Set<NewJob> jobs) {
        Set<String> ids = jobs.stream().map(j -> "job-completed:" + j.jobId()).collect(Collectors.toSet());
        return taken.stream().filter(m -> ids.contains(m.messageId())).toList();
    }
}
