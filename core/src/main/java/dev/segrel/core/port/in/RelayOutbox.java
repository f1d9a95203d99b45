package dev.segrel.core.port.in;

/**
 * Delivers the outbox: takes pending messages, hands each to the publisher, marks it sent (or
 * failed, to be taken again after its lease). Safe with many relays running against one outbox:
 * a message is held by one relay at a time. Delivery is at least once; consumers dedupe on the
 * message id.
 *
 * <p>Blocks while publishing; thread-safe. Faults of the outbox's store propagate (transient).
 */
public interface RelayOutbox {

    /**
     * What a pass did.
     *
     * @param taken messages taken from the outbox
     * @param sent messages published and marked sent
     * @param failed messages whose publishing threw (left for a later pass)
     */
    record RelayReport(int taken, int sent, int failed) {
        public RelayReport {
            if (taken < 0 || sent < 0 || failed < 0 || sent + failed != taken) {
                throw new IllegalArgumentException(
                        "report counts must be >= 0 with sent + failed = taken, was " + taken + "/" + sent + "/" + failed);
            }
        }

        public RelayReport plus(RelayReport other) {
            return new RelayReport(taken + other.taken, sent + other.sent, failed + other.failed);
        }
    }

    /** One pass: up to one batch of pending messages. Returns at once when none is pending. */
    RelayReport relayOnce();

    /**
     * Passes until the outbox has no full batch left or a message failed (the rest waits for the
     * next call, so a down destination is not hammered). Returns the sum of the passes.
     */
    RelayReport relayAll();
}
