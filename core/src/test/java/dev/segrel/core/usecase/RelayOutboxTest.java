package dev.segrel.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.in.RelayOutbox.RelayReport;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.trace.RecordingTracing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayOutboxTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final int BATCH = 2;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final CountingOutbox counted = new CountingOutbox(outbox);
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final RelayOutbox relay = SegmentRelations.relayOutbox(counted, publisher, clock, "relay-1", BATCH, LEASE);

    /** A destination that takes every message but those it is told to refuse (once each). */
    private static final class RecordingPublisher implements MessagePublisher {
        final List<Outbox.Message> published = new ArrayList<>();
        final Set<String> refuseOnce = new HashSet<>();

        @Override
        public void publish(Outbox.Message message) {
            if (refuseOnce.remove(message.messageId())) {
                throw new IllegalStateException("destination refused " + message.messageId());
            }
            published.add(message);
        }

        List<String> publishedIds() {
            return published.stream().map(Outbox.Message::messageId).toList();
        }
    }

    /** The outbox, with the size of every take recorded: one take per pass of the relay. */
    private static final class CountingOutbox implements Outbox {
        final Outbox delegate;
        final List<Integer> taken = new ArrayList<>();
        /** The lease asked for by every take and renewal. */
        final List<Duration> leases = new ArrayList<>();
        /** markSent calls to fail as a terminated session does, before they reach the outbox. */
        int markSentFailures;

        CountingOutbox(Outbox delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<Message> take(int limit, String owner, Instant now, Duration leaseFor) {
            List<Message> got = delegate.take(limit, owner, now, leaseFor);
            taken.add(got.size());
            leases.add(leaseFor);
            return got;
        }

        @Override
        public Fenced renew(Message taken, String owner, Instant now, Duration leaseFor) {
            leases.add(leaseFor);
            return delegate.renew(taken, owner, now, leaseFor);
        }

        @Override
        public Fenced markSent(Message taken, String owner, Instant now) {
            if (markSentFailures > 0) {
                markSentFailures--;
                throw new dev.segrel.core.port.out.StoreUnavailableException("terminating connection due to administrator command", null);
            }
            return delegate.markSent(taken, owner, now);
        }

        @Override
        public Fenced markFailed(Message taken, String owner, String error, Instant now, Instant retryAt) {
            return delegate.markFailed(taken, owner, error, now, retryAt);
        }

        @Override
        public long stuck() {
            return delegate.stuck();
        }

        @Override
        public long stuckOf(dev.segrel.core.domain.JobId job) {
            return delegate.stuckOf(job);
        }
    }

    private void addMessages(int count) {
        for (int i = 1; i <= count; i++) {
            outbox.add("job-completed:" + i, "completed", "{\"n\":" + i + "}", clock.instant());
        }
    }

    /** The ids of the messages any relay could take now, without keeping them. */
    private List<String> pendingNow() {
        return outbox.take(100, "probe", clock.instant(), Duration.ofMillis(1)).stream()
                .map(Outbox.Message::messageId).toList();
    }

    @Test
    void relayOncePublishesABatchAndMarksItSent() {
        addMessages(2);

        RelayReport report = relay.relayOnce();

        assertThat(report).isEqualTo(new RelayReport(2, 2, 0));
        assertThat(publisher.publishedIds()).containsExactly("job-completed:1", "job-completed:2");
        clock.advance(LEASE.plusSeconds(1));
        assertThat(relay.relayOnce()).as("sent messages are never taken again").isEqualTo(new RelayReport(0, 0, 0));
        assertThat(publisher.published).hasSize(2);
    }

    @Test
    void aSentMessageWhoseRecordFailsOnABrokenConnectionIsRecordedOnTheNextAndNeverSentAgain() {
        addMessages(1);
        counted.markSentFailures = 2;

        RelayReport report = relay.relayOnce();
        clock.advance(LEASE.plusSeconds(1));
        RelayReport afterLease = relay.relayOnce();

        assertThat(report).isEqualTo(new RelayReport(1, 1, 0));
        assertThat(afterLease).as("recorded as sent: not taken again").isEqualTo(new RelayReport(0, 0, 0));
        assertThat(publisher.publishedIds()).containsExactly("job-completed:1");
    }

    @Test
    void aMessageThePublisherRefusesIsMarkedFailedAndTakenAgainAfterItsLease() {
        addMessages(1);
        publisher.refuseOnce.add("job-completed:1");

        RelayReport failed = relay.relayOnce();
        RelayReport withinLease = relay.relayOnce();
        clock.advance(LEASE.plusSeconds(1));
        RelayReport afterLease = relay.relayOnce();

        assertThat(failed).isEqualTo(new RelayReport(1, 0, 1));
        assertThat(withinLease).isEqualTo(new RelayReport(0, 0, 0));
        assertThat(afterLease).isEqualTo(new RelayReport(1, 1, 0));
        assertThat(publisher.published).singleElement()
                .satisfies(m -> assertThat(m.attempts()).as("the failed delivery is counted").isEqualTo(1));
    }

    @Test
    void relayAllPassesUntilLessThanABatchRemains() {
        addMessages(5);

        RelayReport report = relay.relayAll();

        assertThat(report).isEqualTo(new RelayReport(5, 5, 0));
        assertThat(counted.taken).containsExactly(2, 2, 1);
        assertThat(publisher.publishedIds()).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void relayAllTakesAnEmptyPassWhenTheLastBatchWasFull() {
        addMessages(4);

        RelayReport report = relay.relayAll();

        assertThat(report).isEqualTo(new RelayReport(4, 4, 0));
        assertThat(counted.taken).containsExactly(2, 2, 0);
    }

    @Test
    void relayAllStopsAfterThePassInWhichAMessageFailed() {
        addMessages(5);
        publisher.refuseOnce.add("job-completed:3");

        RelayReport report = relay.relayAll();

        assertThat(report).isEqualTo(new RelayReport(4, 3, 1));
        assertThat(counted.taken).containsExactly(2, 2);
        assertThat(pendingNow()).as("3 is leased until it may be retried; 5 waits for the next call")
                .containsExactly("job-completed:5");
    }

    @Test
    void theDefaultRelayTakesItsBatchSizePerPass() {
        addMessages(RelayOutboxService.BATCH_SIZE + 1);
        RelayOutbox byDefault = SegmentRelations.relayOutbox(outbox, publisher, clock, "relay-default");

        RelayReport report = byDefault.relayOnce();

        assertThat(report.taken()).isEqualTo(RelayOutboxService.BATCH_SIZE);
        assertThat(pendingNow()).hasSize(1);
    }

    @Test
    void eachMessageIsSentInASpanContinuingItsRowsTraceAndCarriesThatSpanOn() {
        RecordingTracing tracing = new RecordingTracing();
        RelayOutbox traced = SegmentRelations.relayOutbox(outbox, publisher, clock, "relay-1", tracing);
        TraceContext stored = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        outbox.add("job-completed:t", "completed", "{}", stored, clock.instant());
        outbox.add("job-completed:u", "completed", "{}", clock.instant());

        traced.relayAll();

        List<RecordingTracing.Recorded> sends = tracing.named("completion send");
        assertThat(sends).hasSize(2);
        RecordingTracing.Recorded continued = sends.get(0);
        assertThat(continued.traceId()).isEqualTo(stored.traceId());
        assertThat(continued.parentSpanId()).isEqualTo(stored.spanId());
        assertThat(continued.attributes()).containsEntry("messaging.message.id", "job-completed:t");
        assertThat(sends.get(1).parentSpanId()).as("a row without a trace starts one").isNull();
        assertThat(publisher.published.get(0).trace().spanId()).isEqualTo(continued.spanId());
        assertThat(publisher.published.get(1).trace().spanId()).isEqualTo(sends.get(1).spanId());
        assertThat(relay.relayAll().taken()).isZero();
    }

    @Test
    void withoutTracingTheMessagesGoAsTheyWereStored() {
        outbox.add("job-completed:v", "completed", "{}", clock.instant());

        relay.relayAll();

        assertThat(publisher.published).singleElement().satisfies(m -> assertThat(m.trace()).isNull());
    }

    /** A destination whose every call takes {@code callTime} of the test clock, with something happening meanwhile. */
    private final class SlowPublisher implements MessagePublisher {
        final List<String> published = new ArrayList<>();
        final Duration callTimeout;
        final Duration callTime;
        /** Runs halfway through each call, with the message being sent (not within a call it makes). */
        java.util.function.Consumer<Outbox.Message> meanwhile = m -> { };
        private boolean inMeanwhile;

        SlowPublisher(Duration callTimeout, Duration callTime) {
            this.callTimeout = callTimeout;
            this.callTime = callTime;
        }

        @Override
        public void publish(Outbox.Message message) {
            clock.advance(callTime.dividedBy(2));
            if (!inMeanwhile) {
                inMeanwhile = true;
                try {
                    meanwhile.accept(message);
                } finally {
                    inMeanwhile = false;
                }
            }
            clock.advance(callTime.dividedBy(2));
            published.add(message.messageId());
        }

        @Override
        public Duration callTimeout() {
            return callTimeout;
        }
    }

    @Test
    void theDefaultLeaseOutlastsACallOfThePublisherSoASecondRelayDoesNotSendTheMessageAgain() {
        addMessages(1);
        SlowPublisher slow = new SlowPublisher(Duration.ofMinutes(2), Duration.ofSeconds(90));
        RelayOutbox first = SegmentRelations.relayOutbox(outbox, slow, clock, "relay-1");
        RelayOutbox second = SegmentRelations.relayOutbox(outbox, slow, clock, "relay-2");
        List<RelayReport> secondsPasses = new ArrayList<>();
        slow.meanwhile = m -> {
            clock.advance(Duration.ofSeconds(30));
            secondsPasses.add(second.relayOnce());
        };

        RelayReport report = first.relayOnce();

        assertThat(slow.published).containsExactly("job-completed:1");
        assertThat(secondsPasses).containsExactly(new RelayReport(0, 0, 0));
        assertThat(report).isEqualTo(new RelayReport(1, 1, 0));
        assertThat(RelayOutboxService.leaseFor(slow)).isEqualTo(Duration.ofMinutes(4).plusSeconds(30));
    }

    @Test
    void eachMessageOfAPassIsLeasedAfreshBeforeItIsSentSoALongPassDoesNotLetAnotherRelaySendItsLastOne() {
        addMessages(2);
        SlowPublisher slow = new SlowPublisher(Duration.ofSeconds(60), Duration.ofSeconds(60));
        RelayOutbox first = SegmentRelations.relayOutbox(outbox, slow, clock, "relay-1", 2, Duration.ofSeconds(100));
        RelayOutbox second = SegmentRelations.relayOutbox(outbox, slow, clock, "relay-2", 2, Duration.ofSeconds(100));
        List<RelayReport> secondsPasses = new ArrayList<>();
        slow.meanwhile = m -> {
            if (m.messageId().equals("job-completed:2") && secondsPasses.isEmpty()) {
                clock.advance(Duration.ofSeconds(11)); // 101 s after the take: its first lease is over
                secondsPasses.add(second.relayOnce());
            }
        };

        RelayReport report = first.relayOnce();

        assertThat(slow.published).containsExactly("job-completed:1", "job-completed:2");
        assertThat(secondsPasses).containsExactly(new RelayReport(0, 0, 0));
        assertThat(report).isEqualTo(new RelayReport(2, 2, 0));
    }

    @Test
    void aRelayWhoseLeaseAnotherTookRecordsNothingAndSaysSo() {
        addMessages(1);
        SlowPublisher slow = new SlowPublisher(Duration.ofSeconds(10), Duration.ofSeconds(2));
        RelayOutbox first = SegmentRelations.relayOutbox(outbox, slow, clock, "relay-1", 2, LEASE);
        RelayOutbox second = SegmentRelations.relayOutbox(outbox, slow, clock, "relay-2", 2, LEASE);
        List<RelayReport> secondsPasses = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        slow.meanwhile = m -> {
            if (once.compareAndSet(false, true)) {
                // the first relay's call hangs past its own timeout and its lease
                clock.advance(LEASE.plusSeconds(1));
                secondsPasses.add(second.relayOnce());
            }
        };

        RelayReport report = first.relayOnce();

        assertThat(secondsPasses).containsExactly(new RelayReport(1, 1, 0));
        assertThat(report).isEqualTo(new RelayReport(1, 0, 0, 1));
        assertThat(outbox.take(10, "relay-3", clock.instant().plus(Duration.ofDays(1)), LEASE))
                .as("sent by the second relay: never taken again").isEmpty();
    }

    @Test
    void aFailedMessageWaitsLongerAfterEachFailureAndIsStuckButKeptAfterTheLimit() {
        addMessages(1);
        MessagePublisher down = m -> {
            throw new IllegalStateException("queue is down");
        };
        RelayOutbox failing = SegmentRelations.relayOutbox(outbox, down, clock, "relay-1", 1, LEASE);
        List<Duration> waits = new ArrayList<>();

        assertThat(failing.relayOnce()).isEqualTo(new RelayReport(1, 0, 1));
        for (int failures = 1; failures < Outbox.STUCK_AFTER_ATTEMPTS; failures++) {
            assertThat(outbox.stuck()).isZero();
            Duration waited = Duration.ZERO;
            while (failing.relayOnce().taken() == 0) {
                clock.advance(Duration.ofSeconds(5));
                waited = waited.plusSeconds(5);
            }
            waits.add(waited);
        }
        long stuck = outbox.stuck();
        clock.advance(Duration.ofMinutes(59));
        RelayReport withinTheHour = failing.relayOnce();
        clock.advance(Duration.ofMinutes(1));
        RelayReport afterTheHour = failing.relayOnce();

        assertThat(waits).startsWith(
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80));
        assertThat(waits).last().isEqualTo(Duration.ofMinutes(10));
        assertThat(stuck).isEqualTo(1);
        assertThat(withinTheHour.taken()).as("a stuck message is tried rarely").isZero();
        assertThat(afterTheHour).isEqualTo(new RelayReport(1, 0, 1));
        assertThat(outbox.pending()).as("a stuck message is kept").isEqualTo(1);
    }

    @Test
    void aLeaseNotLongerThanThePublishersCallTimeoutIsRefused() {
        SlowPublisher slow = new SlowPublisher(Duration.ofMinutes(2), Duration.ZERO);

        assertThatThrownBy(() -> SegmentRelations.relayOutbox(outbox, slow, clock, "relay-1", 2, Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than the publisher's call timeout");
    }

    @Test
    void aLeaseChosenByTheOperatorHoldsTheMessageForThatLongAndIsStillRefusedWhenNotLongerThanACall() {
        addMessages(1);
        SlowPublisher slow = new SlowPublisher(Duration.ofSeconds(15), Duration.ZERO);
        RelayOutbox chosen = SegmentRelations.relayOutbox(counted, slow, clock, "relay-1", Duration.ofSeconds(16),
                new RecordingTracing());

        chosen.relayOnce();

        assertThat(slow.published).containsExactly("job-completed:1");
        assertThat(counted.leases).hasSize(2).containsOnly(Duration.ofSeconds(16));
        assertThatThrownBy(() -> SegmentRelations.relayOutbox(outbox, slow, clock, "relay-1", Duration.ofSeconds(15),
                new RecordingTracing()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than the publisher's call timeout");
    }
}
