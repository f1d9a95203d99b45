package dev.segrel.chaos;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for work done by other processes to reach a state; the deadline only bounds a test that would
 * otherwise hang. {@link #hold} is the one place that lets wall time pass on purpose: an outage lasts a
 * given time, that is the scenario.
 */
final class Awaiting {

    private Awaiting() {}

    static <T> T until(Supplier<T> probe, Predicate<T> done, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + atMost + "; last seen: " + value);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            value = probe.get();
        }
        return value;
    }

    /** Keeps a fault in place for {@code d} of wall time (an outage's length is the scenario's parameter). */
    static void hold(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
