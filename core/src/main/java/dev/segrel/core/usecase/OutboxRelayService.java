package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.in.OutboxRelay;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class OutboxRelayService implements OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayService.class);

    private final Outbox outbox;
    private final MessagePublisher publisher;
    private final Clock clock;
    private final String owner;
    private final int batchSize;
    private final Duration leaseFor;

    OutboxRelayService(
            Outbox outbox, MessagePublisher publisher, Clock clock, String owner, int batchSize, Duration leaseFor) {
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
            try {
                publisher.publish(message);
            } catch (RuntimeException e) {
                failed++;
                String reason = Secrets.redact(String.valueOf(e.getMessage()));
                LOG.warn("publishing {} failed: {}", message.messageId(), reason);
                outbox.markFailed(message.id(), e.getClass().getSimpleName() + ": " + reason, clock.instant());
                continue;
            }
            outbox.markSent(message.id(), clock.instant());
            sent++;
        }
        return new RelayReport(messages.size(), sent, failed);
    }
}
