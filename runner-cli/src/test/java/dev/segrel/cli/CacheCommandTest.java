package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segrel.core.config.Settings;
import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.dragonfly.CacheKeys;
import dev.segrel.dragonfly.DragonflyConfig;
import dev.segrel.dragonfly.RedisCache;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheCommandTest {

    /** The test Redis: SEGREL_TEST_REDIS_URL, else 127.0.0.1:6379 (database 13), else the test is skipped. */
    private static String redisUrl() {
        String env = System.getenv("SEGREL_TEST_REDIS_URL");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 200);
        } catch (IOException e) {
            assumeTrue(false, "no Redis-protocol server: SEGREL_TEST_REDIS_URL unset and nothing on 127.0.0.1:6379");
        }
        return "redis://127.0.0.1:6379/13";
    }

    @Test
    void invalidatingOneManifestationDeletesItsKeysOnly() throws Exception {
        String url = redisUrl();
        try (RedisCache cache = RedisCache.connect(DragonflyConfig.of(url))) {
            cache.put(CacheKeys.DEFAULT.slice("M1"), new byte[] {1});
            cache.put(CacheKeys.DEFAULT.slice("M2"), new byte[] {1});

            CliRun one = CliRun.run(Settings.of(Map.of("DRAGONFLY_URL", url)), "cache", "invalidate", "--manifestation", "M1");

            assertThat(one.exitCode()).as(one.err()).isEqualTo(ExitCodes.OK);
            assertThat(one.out()).contains("deleted 1 key(s) of manifestation M1");
            assertThat(cache.get(CacheKeys.DEFAULT.slice("M2"))).isPresent();

            CliRun all = CliRun.run(Settings.of(Map.of("DRAGONFLY_URL", url)), "cache", "invalidate", "--json");
            assertThat(all.exitCode()).as(all.err()).isEqualTo(ExitCodes.OK);
            JsonNode summary = TestJson.MAPPER.readTree(all.out());
            assertThat(summary.get("deleted").asLong()).isPositive();
            assertThat(summary.get("manifestation").isNull()).isTrue();
            assertThat(cache.get(CacheKeys.DEFAULT.slice("M2"))).isEmpty();
        }
    }

    @Test
    void withoutDragonflyUrlThereIsNothingToInvalidate() {
        CliRun run = CliRun.run(Settings.of(Map.of()), "cache", "invalidate");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("DRAGONFLY_URL is not set");
    }

    @Test
    void anUnreachableCacheExitsUnavailable() throws IOException {
        int closed = LoopbackPorts.free();
        CliRun run = CliRun.run(Settings.of(Map.of("DRAGONFLY_URL", "redis://u:s3cret@127.0.0.1:" + closed)),
                "cache", "invalidate");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).contains("unreachable").doesNotContain("s3cret");
    }
}
