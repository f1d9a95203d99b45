package dev.segrel.core.usecase;

import dev.segrel.core.port.in.OutboxRelay;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import java.time.Clock;
import java.time.Duration;

/** Builds the {@link OutboxRelay} use case without a DI container. */
public final class OutboxRelays {

    /** Messages taken per pass. */
    public static final int DEFAULT_BATCH_SIZE = 10;

    /** How long a taken message stays with its relay before another may take it. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    private OutboxRelays() {}

    /**
     * A relay named {@code owner} (unique per process, e.g. host and pid) that publishes up to
     * {@code batchSize} messages per pass, holding each for {@code leaseFor}.
     */
    public static OutboxRelay relay(
            Outbox outbox, MessagePublisher publisher, Clock clock, String owner, int batchSize, Duration leaseFor) {
        return new OutboxRelayService(outbox, publisher, clock, owner, batchSize, leaseFor);
    }

    /** A relay with the default batch size and lease. */
    public static OutboxRelay relay(Outbox outbox, MessagePublisher publisher, Clock clock, String owner) {
        return relay(outbox, publisher, clock, owner, DEFAULT_BATCH_SIZE, DEFAULT_LEASE);
    }
}
