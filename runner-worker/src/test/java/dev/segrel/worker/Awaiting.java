package dev.segrel.worker;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for work done on other threads or processes to reach a state (never for time to pass: the
 * deadline only bounds a test that would otherwise hang).
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
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            value = probe.get();
        }
        return value;
    }
}
