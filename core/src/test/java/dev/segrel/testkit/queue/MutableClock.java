package dev.segrel.testkit.queue;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it. Thread-safe. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = requireNonNull(start, "start is null");
    }

    /** Starts at the current time truncated to the millisecond (as SQS timestamps are). */
    public static MutableClock startingNow() {
        return new MutableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
    }

    public synchronized void advance(Duration by) {
        now = now.plus(requireNonNull(by, "by is null"));
    }

    public void set(Instant instant) {
        now = requireNonNull(instant, "instant is null");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
