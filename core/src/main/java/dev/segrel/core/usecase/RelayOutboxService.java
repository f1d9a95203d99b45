package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.core.port.out.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outbox relay; see {@link RelayOutbox}. */
final class RelayOutboxService implements RelayOutbox {

    /** Messages taken per pass. */
    static final int BATCH_SIZE = 10;

    /**
     * What a lease adds to twice the publisher's call timeout: a message stays with its relay for longer
     * than a call that may still deliver it can run, with room for a slow store around it.
     */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    /** The pause after a message's first failed delivery; it doubles with each further one, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /** How often a stuck message (failed {@link Outbox#STUCK_AFTER_ATTEMPTS} times) is still tried. */
    static final Duration STUCK_RETRY = Duration.ofHours(1);
    /** Tries to record a sent message, and the pause before each next one (times the attempt). */
    static final int MARK_ATTEMPTS = 6;
    static final Duration MARK_BACKOFF = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(RelayOutboxService.class);

    private final Outbox outbox;
    private final MessagePublisher publisher;
    private final Clock clock;
    private final String owner;
    private final int batchSize;
    private final Duration leaseFor;
    private final Tracing tracing;

    RelayOutboxService(Outbox outbox, MessagePublisher publisher, Clock clock, String owner, int batchSize,
            Duration leaseFor, Tracing tracing) {
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.outbox = requireNonNull(outbox, "outbox is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.owner = requireNonNull(owner, "owner is null");
        this.leaseFor = requireNonNull(leaseFor, "leaseFor is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        if (leaseFor.compareTo(publisher.callTimeout()) <= 0) {
            throw new IllegalArgumentException("leaseFor must be longer than the publisher's call timeout "
                    + publisher.callTimeout() + ", was " + leaseFor);
        }
        this.batchSize = batchSize;
    }

    /** The lease for a publisher: twice its call timeout and a margin, so a call ends well within it. */
    static Duration leaseFor(MessagePublisher publisher) {
        return publisher.callTimeout().multipliedBy(2).plus(LEASE_MARGIN);
    }

    /** When a message that has now failed {@code attempts} times is tried again. */
    static Duration backoff(int attempts) {
        if (attempts >= Outbox.STUCK_AFTER_ATTEMPTS) {
            return STUCK_RETRY;
        }
        Duration pause = FIRST_BACKOFF.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return pause.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause;
    }

    private enum Outcome { SENT, FAILED, LOST }

    @Override
    public RelayReport relayOnce() {
        List<Outbox.Message> messages = outbox.take(batchSize, owner, clock.instant(), leaseFor);
        int sent = 0;
        int failed = 0;
        int lost = 0;
        for (Outbox.Message message : messages) {
            switch (relay(message)) {
                case SENT -> sent++;
                case FAILED -> failed++;
                case LOST -> lost++;
            }
        }
        return new RelayReport(messages.size(), sent, failed, lost);
    }

    /**
     * One message, in a span continuing the trace of the change it announces (from its row); the
     * message carries that span on. The lease is renewed first: the messages before it in the pass may
     * have used up much of the lease taken with them, and one whose lease another relay took since is
     * left to that relay rather than sent twice.
     */
    private Outcome relay(Outbox.Message message) {
        if (outbox.renew(message, owner, clock.instant(), leaseFor) instanceof Outbox.LeaseLost) {
            LOG.info("{} was taken by another relay before it was sent; leaving it to that one", message.messageId());
            return Outcome.LOST;
        }
        try (Tracing.TraceSpan span = tracing.start("completion send", message.trace(), List.of())) {
            span.attribute("messaging.system", "aws_sqs")
                    .attribute("messaging.operation.type", "send")
                    .attribute("messaging.destination.name", message.destination())
                    .attribute("messaging.message.id", message.messageId())
                    .attribute("segrel.outbox.attempts", message.attempts());
            try {
                TraceContext carried = span.context();
                publisher.publish(carried == null ? message : message.withTrace(carried));
            } catch (RuntimeException e) {
                String reason = Secrets.redact(String.valueOf(e.getMessage()));
                span.error(reason);
                int attempts = message.attempts() + 1;
                Duration pause = backoff(attempts);
                if (attempts >= Outbox.STUCK_AFTER_ATTEMPTS) {
                    LOG.error("publishing {} failed {} times, it is stuck (kept, tried again every {}): {}",
                            message.messageId(), attempts, STUCK_RETRY, reason);
                } else {
                    LOG.warn("publishing {} failed (attempt {}), trying again in {}: {}", message.messageId(), attempts,
                            pause, reason);
                }
                var now = clock.instant();
                Outbox.Fenced recorded = outbox.markFailed(
                        message, owner, e.getClass().getSimpleName() + ": " + reason, now, now.plus(pause));
                return recorded instanceof Outbox.LeaseLost ? Outcome.LOST : Outcome.FAILED;
            }
            return markSent(message);
        }
    }

    /**
     * The message is on the queue: recording that must not be lost to a connection that just broke
     * (a session terminated, a server restarting), or the row is sent again once its lease ends. A few
     * tries on fresh connections, then the fault is the caller's (the message may then be sent twice).
     */
    private Outcome markSent(Outbox.Message message) {
        for (int attempt = 1; ; attempt++) {
            try {
                return switch (outbox.markSent(message, owner, clock.instant())) {
                    case Outbox.Held held -> Outcome.SENT;
                    case Outbox.LeaseLost lost -> {
                        // Only a call that outlived its lease gets here: the publisher broke its own timeout.
                        LOG.warn("{} was sent, but another relay took it meanwhile and may send it again "
                                + "(consumers dedupe on the message id)", message.messageId());
                        yield Outcome.LOST;
                    }
                };
            } catch (StoreUnavailableException e) {
                if (attempt >= MARK_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("marking {} sent failed (attempt {} of {}), trying again: {}", message.messageId(), attempt,
                        MARK_ATTEMPTS, Secrets.redact(String.valueOf(e.getMessage())));
                try {
                    Thread.sleep(MARK_BACKOFF.toMillis() * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public RelayReport relayAll() {
        RelayReport total = new RelayReport(0, 0, 0);
        RelayReport pass;
        do {
            pass = relayOnce();
            total = total.plus(pass);
        } while (pass.taken() >= batchSize && pass.failed() == 0 && pass.lost() == 0);
        return total;
    }
}
