package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.dragonfly.DragonflyConfig;
import java.time.Duration;

/**
 * How the graph is put together ({@link GraphModule}).
 *
 * @param index search through the in-memory alignment index ({@code SEGREL_GRAPH_INDEX}, default true)
 * @param indexTtl how long a manifestation's index is kept ({@code SEGREL_INDEX_TTL_SECONDS}, default
 *     600, 1..604800)
 * @param cache the shared cache ({@code DRAGONFLY_URL} and {@code SEGREL_CACHE_*})
 */
record GraphConfig(boolean index, Duration indexTtl, DragonflyConfig cache) {

    GraphConfig {
        requireNonNull(indexTtl, "indexTtl is null");
        requireNonNull(cache, "cache is null");
        if (indexTtl.isNegative() || indexTtl.isZero()) {
            throw new IllegalArgumentException("indexTtl must be positive, was " + indexTtl);
        }
    }

    /** Reads the keys above, recording every problem in {@code reader}. */
    static GraphConfig read(ConfigReader reader) {
        boolean index = reader.bool("SEGREL_GRAPH_INDEX", true);
        Duration indexTtl = reader.seconds("SEGREL_INDEX_TTL_SECONDS", IndexedAlignmentGraph.DEFAULT_TTL, 1, 604_800);
        return new GraphConfig(index, indexTtl, DragonflyConfig.read(reader));
    }
}
