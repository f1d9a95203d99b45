package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's clock set to the database's: every lease, retry and sweep time a worker writes or
 * compares is on PostgreSQL's clock, so that a worker whose clock runs a minute ahead does not take
 * over a live lease as expired (nor one a minute behind hand out leases already expired to the others).
 *
 * <p>{@link #measure} reads the server's clock and takes the offset at the middle of the round trip
 * (its error is at most half of it); a measurement whose round trip exceeds {@link #MAX_ROUND_TRIP} is
 * too imprecise and is dropped, as is one that fails: the offset measured last stays. Before the first
 * measurement the offset is zero (this host's clock). Thread-safe.
 */
final class StoreClock extends Clock {

    private static final Logger log = LoggerFactory.getLogger(StoreClock.class);

    static final Duration MAX_ROUND_TRIP = Duration.ofSeconds(1);
    /** An offset past this is worth an operator's look (NTP off); smaller ones are the network's noise. */
    private static final Duration WORTH_SAYING = Duration.ofSeconds(1);

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    StoreClock(Clock base) {
        this.base = requireNonNull(base, "base is null");
    }

    /**
     * Measures the offset to {@code serverClock} once; returns true when it was taken. Throws what the
     * server's read throws (the caller decides whether a failure matters).
     */
    boolean measure(Supplier<Instant> serverClock) {
        long before = System.nanoTime();
        Instant sent = base.instant();
        Instant server = serverClock.get();
        Duration roundTrip = Duration.ofNanos(System.nanoTime() - before);
        if (roundTrip.compareTo(MAX_ROUND_TRIP) > 0) {
            return false;
        }
        Duration measured = Duration.between(sent.plus(roundTrip.dividedBy(2)), server);
        Duration previous = offset;
        offset = measured;
        if (measured.minus(previous).abs().compareTo(WORTH_SAYING) > 0) {
            log.warn("This host's clock is {} ms {} PostgreSQL's; leases are timed on PostgreSQL's clock",
                    measured.abs().toMillis(), measured.isNegative() ? "ahead of" : "behind");
        }
        return true;
    }

    /** What to add to this host's clock to read the database's. */
    Duration offset() {
        return offset;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        StoreClock zoned = new StoreClock(base.withZone(zone));
        zoned.offset = offset;
        return zoned;
    }
}
