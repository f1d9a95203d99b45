package dev.segrel.dragonfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.devstack.LoopbackPorts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection an operator's command runs on is its own until the command is done. */
class RedisCacheConnectionTest {

    @Test
    void anOperatorCommandRightAfterABackgroundStartRunsOnAConnectionNobodyCloses() {
        DragonflyConfig config = DragonflyConfig.of(TestingRedis.url());
        for (int round = 0; round < 20; round++) {
            try (RedisCache cache = RedisCache.start(config, Duration.ZERO)) {
                String key = "segrel:test:race:" + round;

                // the background connect of start() may finish during this SCAN: it must not replace
                // (and close) the connection the SCAN runs on
                long deleted = cache.deleteMatching(List.of(key + "*"), List.of(key));
                cache.awaitBackgroundConnect();

                assertThat(deleted).isZero();
                assertThat(cache.connected()).as("round %d", round).isTrue();
                cache.put(key, new byte[] {1});
                assertThat(cache.deleteMatching(List.of(key + "*"), List.of())).as("round %d", round).isEqualTo(1);
            }
        }
    }

    @Test
    void connectWaitsForItsConnectionBeforeReturning() {
        try (RedisCache cache = RedisCache.connect(DragonflyConfig.of(TestingRedis.url()))) {
            assertThat(cache.connected()).isTrue();
        }
    }

    @Test
    void connectFailsWhenNothingListensNamingTheUrlWithoutItsPassword() throws IOException {
        int closed = LoopbackPorts.free();

        assertThatThrownBy(() -> RedisCache.connect(DragonflyConfig.of("redis://u:s3cret@127.0.0.1:" + closed)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("127.0.0.1:" + closed)
                .hasMessageNotContaining("s3cret");
    }
}
