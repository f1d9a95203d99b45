package dev.segrel.chaos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: the cache server (a redis-server standing in for Dragonfly) stopped mid-job: the job
 * completes, uncached.
 */
class CacheChaosIT {

    @Test
    void theCacheServerStoppedMidJobLeavesTheJobToCompleteUncached() throws Exception {
        Assumptions.assumeTrue(onPath("redis-server"),
                "no redis-server binary on PATH: the cache scenario needs a Redis-protocol server to stop");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Fleet.logFile("cache", "redis-server");
        Process redis = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no")).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try (ChaosJob job = ChaosJob.create("cache");
                Fleet fleet = new Fleet("cache", job.workerSettings().with(Map.of(
                        "DRAGONFLY_URL", "redis://127.0.0.1:" + port + "/0")), ChaosRig.WORKERS)) {
            job.send(job.taskBodies());
            fleet.startAll();
            job.awaitSettled(job.size / 3);
            redis.destroy();
            redis.waitFor(30, TimeUnit.SECONDS);
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures("5. Cache server stopped"));
            figures.put("cache server stops", 1).write(job.elapsed());
        } finally {
            redis.destroyForcibly();
        }
    }

    private static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }
}
