package dev.segrel.testkit.time;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for work done on other threads or processes to reach a state. The deadline only bounds a
 * test that would otherwise hang; a test never waits for time itself to pass, except through
 * {@link #hold}, which keeps an injected fault in place for the length a scenario names.
 */
public final class Awaiting {

    private static final Duration POLL = Duration.ofMillis(50);

    private Awaiting() {}

    /**
     * Probes until {@code done} accepts what the probe returns, and returns that value.
     *
     * @throws AssertionError with the last value seen when {@code atMost} passes first
     */
    public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + atMost + "; last seen: " + value);
            }
            LockSupport.parkNanos(POLL.toNanos());
            value = probe.get();
        }
        return value;
    }

    /** Keeps a fault in place for {@code d} of wall time (an outage's length is the scenario's parameter). */
    public static void hold(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
