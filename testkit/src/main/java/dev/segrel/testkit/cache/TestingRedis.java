package dev.segrel.testkit.cache;

import dev.segrel.devstack.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Redis-protocol server of this test JVM, so that cache tests run everywhere instead of being
 * skipped: {@code SEGREL_TEST_REDIS_URL} when set (the word {@code in-process} asks for the server
 * below even where a Redis runs), else a server on 127.0.0.1:6379 (CI, a developer's machine), else
 * an {@link InProcessRedis} started once for the JVM. Tests pick a database and clear the
 * {@code segrel:} keys they write.
 */
public final class TestingRedis {

    /** Where the cache tests' server comes from. */
    public enum Source { CONFIGURED, LOCAL, IN_PROCESS }

    public static final String URL_KEY = "SEGREL_TEST_REDIS_URL";
    public static final String IN_PROCESS = "in-process";

    private static InProcessRedis inProcess;

    private TestingRedis() {}

    /** The server's URL with {@code database} (ignored for a configured URL, which names its own). */
    public static String url(int database) {
        String env = System.getenv(URL_KEY);
        return switch (source(env, LoopbackPorts.listening(6379))) {
            case CONFIGURED -> env.trim();
            case LOCAL -> "redis://127.0.0.1:6379/" + database;
            case IN_PROCESS -> inProcess().url(database);
        };
    }

    /** Which server {@link #url} uses, given {@code SEGREL_TEST_REDIS_URL} and whether 127.0.0.1:6379 answers. */
    public static Source source(String envUrl, boolean localListening) {
        if (envUrl != null && !envUrl.isBlank()) {
            return envUrl.trim().equals(IN_PROCESS) ? Source.IN_PROCESS : Source.CONFIGURED;
        }
        return localListening ? Source.LOCAL : Source.IN_PROCESS;
    }

    /** The JVM's in-process server, started on first use and stopped at exit. */
    public static synchronized InProcessRedis inProcess() {
        if (inProcess == null) {
            try {
                inProcess = InProcessRedis.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the in-process Redis-protocol server", e);
            }
            InProcessRedis started = inProcess;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "in-process-redis-stop"));
        }
        return inProcess;
    }
}
