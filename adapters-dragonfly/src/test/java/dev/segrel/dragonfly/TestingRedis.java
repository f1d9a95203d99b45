package dev.segrel.dragonfly;

/**
 * The cache tests' server: testkit's {@link dev.segrel.testkit.cache.TestingRedis} (configured, local,
 * else in process, never skipped), database 15.
 */
final class TestingRedis {

    private TestingRedis() {}

    static String url() {
        return dev.segrel.testkit.cache.TestingRedis.url(15);
    }
}
