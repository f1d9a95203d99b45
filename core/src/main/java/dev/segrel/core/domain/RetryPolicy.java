package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a task is retried: at most {@code maxAttempts} claims, and between them an exponential
 * backoff {@code min(max, base * 2^(attempt-1))} with "equal jitter" (a random delay between half
 * and all of it), so a fleet that failed together does not retry together.
 *
 * @param maxAttempts claims allowed before the task is FAILED, {@code >= 1}
 * @param backoffBase the delay after the first failure, {@code > 0}
 * @param backoffMax the longest delay, {@code >= backoffBase}
 */
public record RetryPolicy(int maxAttempts, Duration backoffBase, Duration backoffMax) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofMinutes(5));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        requireNonNull(backoffBase, "backoffBase is null");
        requireNonNull(backoffMax, "backoffMax is null");
        if (backoffBase.isNegative() || backoffBase.isZero()) {
            throw new IllegalArgumentException("backoffBase must be > 0, was " + backoffBase);
        }
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException(
                    "backoffMax must be >= backoffBase, was " + backoffMax + " < " + backoffBase);
        }
    }

    /** The delay before attempt {@code attempt + 1}, given that {@code attempt} (>= 1) failed. */
    public Duration backoff(int attempt, RandomGenerator random) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        long base = backoffBase.toMillis();
        long ceiling = backoffMax.toMillis();
        long full = base > (ceiling >> exponent) ? ceiling : Math.min(ceiling, base << exponent);
        long half = full / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (full - half + 1)));
    }
}
