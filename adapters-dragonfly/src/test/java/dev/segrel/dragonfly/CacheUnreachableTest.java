package dev.segrel.dragonfly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.testkit.graph.AlignmentGraphContract;
import dev.segrel.testkit.graph.GraphFixture;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A cache on a closed port: every answer is still right (the whole port contract passes), comes
 * without waiting, and each call counts as a fallback.
 */
class CacheUnreachableTest extends AlignmentGraphContract {

    private static RedisCache cache;

    static RedisCache cache() throws IOException {
        if (cache == null) {
            int closedPort = LoopbackPorts.free();
            cache = RedisCache.start(DragonflyConfig.of("redis://127.0.0.1:" + closedPort), Duration.ofMillis(200));
        }
        return cache;
    }

    @Override
    protected AlignmentGraph graphOf(GraphFixture f) {
        try {
            return new CachingAlignmentGraph(f.toInMemoryGraph(), cache());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    @Test
    void tasksGetTheirAnswersQuicklyAndTheFallbacksAreCounted() throws IOException {
        GraphFixture f = new GraphFixture().segmentation("A", "A-seg", GraphFixture.seg("a1", 0, 10));
        CachingAlignmentGraph graph = new CachingAlignmentGraph(f.toInMemoryGraph(), cache());
        long before = graph.fallbacks();

        for (int i = 0; i < 200; i++) {
            assertThat(graph.manifestationExists("A")).isTrue();
        }

        // "without waiting" is structural: with no connection no command is sent, each call falls back at once
        // (how long a fallback takes is a benchmark figure, not a bound here)
        assertThat(cache().connected()).isFalse();
        assertThat(graph.fallbacks() - before).isGreaterThanOrEqualTo(200);
    }
}
