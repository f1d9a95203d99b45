package dev.segrel.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void backoffDoublesPerAttemptWithinHalfAndAllOfTheStep() {
        assertThat(policy.backoff(1, fixed(0))).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(1, fixed(0.999999))).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.backoff(3, fixed(0))).isEqualTo(Duration.ofMillis(2000));
        assertThat(policy.backoff(3, fixed(0.999999))).isEqualTo(Duration.ofMillis(4000));
    }

    @Test
    void backoffNeverExceedsTheMaximumEvenForHugeAttemptNumbers() {
        assertThat(policy.backoff(10, fixed(0.999999))).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoff(1_000, fixed(0.999999))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .hasMessageContaining("maxAttempts must be >= 1, was 0");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .hasMessageContaining("backoffMax must be >= backoffBase");
    }
}
