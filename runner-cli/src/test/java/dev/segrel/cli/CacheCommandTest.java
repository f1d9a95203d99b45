package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segrel.core.config.Settings;
import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.dragonfly.CacheKeys;
import dev.segrel.dragonfly.DragonflyConfig;
import dev.segrel.dragonfly.RedisCache;
import java.io.IOException;
import java.util.Map;
import dev.segrel.testkit.cache.TestingRedis;
import org.junit.jupiter.api.Test;

class CacheCommandTest {

    /** The test Redis (configured, local, else in process: never skipped), database 13. */
    private static String redisUrl() {
        return TestingRedis.url(13);
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
