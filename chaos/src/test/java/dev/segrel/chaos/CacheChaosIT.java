package dev.segrel.chaos;

import dev.segrel.devstack.redis.RedisServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: the cache server (a redis-server standing in for Dragonfly) stopped mid-job: the job
 * completes, uncached.
 */
class CacheChaosIT {

    @Test
    void theCacheServerStoppedMidJobLeavesTheJobToCompleteUncached() throws Exception {
        Optional<Path> binary = RedisServer.binary();
        Assumptions.assumeTrue(binary.isPresent(),
                "no redis-server binary on PATH: the cache scenario needs a Redis-protocol server to stop");
        RedisServer redis = RedisServer.start(binary.get(), Fleet.logFile("cache", "redis-server"));
        try (ChaosJob job = ChaosJob.create("cache");
                Fleet fleet = new Fleet("cache", job.workerSettings().with(Map.of("DRAGONFLY_URL", redis.url(0))),
                        ChaosRig.WORKERS)) {
            job.send(job.taskBodies());
            fleet.startAll();
            job.awaitSettled(job.size / 3);
            redis.close();
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures("5. Cache server stopped"));
            figures.put("cache server stops", 1).write(job.elapsed());
        } finally {
            redis.close();
        }
    }
}
