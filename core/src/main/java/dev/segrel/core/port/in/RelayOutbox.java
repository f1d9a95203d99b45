package dev.segrel.core.port.in;

/**
 * Delivers the outbox: takes pending messages, hands each to the publisher, marks it sent (or
 * failed, to be taken again after a backoff that grows with its attempts). Safe with many relays
 * running against one outbox: a message is held by one relay at a time, for longer than one call of
 * the publisher may take ({@link dev.segrel.core.port.out.MessagePublisher#callTimeout()}), and a relay
 * renews its lease before each send and records the outcome only while it still holds it. Delivery is
 * at least once; consumers dedupe on the message id.
 *
 * <p>Blocks while publishing; thread-safe. Faults of the outbox's store propagate (transient).
 */
public interface RelayOutbox {

    /**
     * What a pass did.
     *
     * @param taken messages taken from the outbox
     * @param sent messages published and marked sent
     * @param failed messages whose publishing threw (left for a later pass, after a backoff)
     * @param lost messages whose lease another relay took before this one could send or record them
     *     (that relay carries on with them)
     */
    record RelayReport(int taken, int sent, int failed, int lost) {
        public RelayReport {
            if (taken < 0 || sent < 0 || failed < 0 || lost < 0 || sent + failed + lost != taken) {
                throw new IllegalArgumentException("report counts must be >= 0 with sent + failed + lost = taken, was "
                        + taken + "/" + sent + "/" + failed + "/" + lost);
            }
        }

        /** A pass that lost no lease. */
        public RelayReport(int taken, int sent, int failed) {
            this(taken, sent, failed, 0);
        }

        public RelayReport plus(RelayReport other) {
            return new RelayReport(taken + other.taken, sent + other.sent, failed + other.failed, lost + other.lost);
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
