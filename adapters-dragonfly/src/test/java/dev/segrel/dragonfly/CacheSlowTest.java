package dev.segrel.dragonfly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.ManifestationSlice;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A server that accepts connections and never answers: each call waits the timeout, then falls back. */
class CacheSlowTest {

    @Test
    void aCacheThatNeverAnswersCostsAtMostItsTimeoutPerCall() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            DragonflyConfig config = new DragonflyConfig(java.util.Optional.of("redis://127.0.0.1:" + silent.getLocalPort()),
                    Duration.ofMillis(30), Duration.ofMillis(60), Duration.ofMillis(500), Duration.ofSeconds(60));
            try (RedisCache cache = RedisCache.start(config, Duration.ofMillis(500))) {
                DragonflySliceSource slices = new DragonflySliceSource(ManifestationSlice::empty, cache);

                for (int i = 0; i < 10; i++) {
                    assertThat(slices.load("M" + i).manifestationId()).isEqualTo("M" + i);
                }

                // every load returned (the server never answers) and each one fell back: the per-call timeout,
                // not the server, ended each wait; its cost per call is a benchmark figure
                assertThat(slices.fallbacks()).isGreaterThanOrEqualTo(10);
                assertThat(cache.hits()).isZero();
            }
            acceptor.interrupt();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
