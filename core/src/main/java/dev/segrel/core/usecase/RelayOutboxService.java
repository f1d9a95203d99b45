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

    /** How long a taken message stays with its relay before another may take it. */
    static final Duration LEASE = Duration.ofSeconds(60);
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
        if (leaseFor.isNegative() || leaseFor.isZero()) {
            throw new IllegalArgumentException("leaseFor must be positive, was " + leaseFor);
        }
        this.batchSize = batchSize;
    }

    @Override
    public RelayReport relayOnce() {
        List<Outbox.Message> messages = outbox.take(batchSize, owner, clock.instant(), leaseFor);
        int sent = 0;
        int failed = 0;
        for (Outbox.Message message : messages) {
            if (relay(message)) {
                sent++;
            } else {
                failed++;
            }
        }
        return new RelayReport(messages.size(), sent, failed);
    }

    /**
     * One message, in a span continuing the trace of the change it announces (from its row); the
     * message carries that span on. False when publishing failed (recorded for a later pass).
     */
    private boolean relay(Outbox.Message message) {
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
                LOG.warn("publishing {} failed: {}", message.messageId(), reason);
                outbox.markFailed(message.id(), e.getClass().getSimpleName() + ": " + reason, clock.instant());
                return false;
            }
            markSent(message);
            return true;
        }
    }

    /**
     * The message is on the queue: recording that must not be lost to a connection that just broke
     * (a session terminated, a server restarting), or the row is sent again once its lease ends. A few
     * tries on fresh connections, then the fault is the caller's (the message may then be sent twice).
     */
    private void markSent(Outbox.Message message) {
        for (int attempt = 1; ; attempt++) {
            try {
                outbox.markSent(message.id(), clock.instant());
                return;
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
        } while (pass.taken() >= batchSize && pass.failed() == 0);
        return total;
    }
}
