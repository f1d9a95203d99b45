package dev.segrel.dragonfly;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.devstack.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Redis-protocol server of this test JVM: {@code SEGREL_TEST_REDIS_URL}, else the one on
 * 127.0.0.1:6379 (CI), else a {@code redis-server} started on a free port (stopped at exit). Tests
 * use database 15 of it and clear the {@code segrel:} keys they write. Where none of these exists
 * the tests are skipped with the reason (an assumption, not a failure).
 */
final class TestingRedis {

    private static volatile Optional<String> url;
    private static String whyNot = "";

    private TestingRedis() {}

    /** The server's URL, or the test is skipped. */
    static String url() {
        Optional<String> found = find();
        assumeTrue(found.isPresent(), whyNot);
        return found.get();
    }

    private static synchronized Optional<String> find() {
        if (url != null) {
            return url;
        }
        String env = System.getenv("SEGREL_TEST_REDIS_URL");
        if (env != null && !env.isBlank()) {
            url = Optional.of(env.trim());
        } else if (LoopbackPorts.listening(6379)) {
            url = Optional.of("redis://127.0.0.1:6379/15");
        } else {
            url = startRedisServer();
        }
        return url;
    }

    private static Optional<String> startRedisServer() {
        Optional<Path> binary = RedisServer.binary();
        if (binary.isEmpty()) {
            whyNot = "no Redis-protocol server: SEGREL_TEST_REDIS_URL is unset, nothing listens on 127.0.0.1:6379"
                    + " and no redis-server binary is on the PATH";
            return Optional.empty();
        }
        try {
            RedisServer server = RedisServer.start(binary.get(), null);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "testing-redis-shutdown"));
            return Optional.of(server.url(15));
        } catch (IOException e) {
            whyNot = "cannot start redis-server: " + e.getMessage();
            return Optional.empty();
        }
    }
}
