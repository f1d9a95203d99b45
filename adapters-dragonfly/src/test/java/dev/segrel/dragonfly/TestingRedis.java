package dev.segrel.dragonfly;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
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
        } else if (listening(6379)) {
            url = Optional.of("redis://127.0.0.1:6379/15");
        } else {
            url = startRedisServer();
        }
        return url;
    }

    private static Optional<String> startRedisServer() {
        Optional<Path> binary = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> java.util.Arrays.stream(p.split(java.io.File.pathSeparator)))
                .map(d -> Path.of(d, "redis-server")).filter(Files::isExecutable).findFirst();
        if (binary.isEmpty()) {
            whyNot = "no Redis-protocol server: SEGREL_TEST_REDIS_URL is unset, nothing listens on 127.0.0.1:6379"
                    + " and no redis-server binary is on the PATH";
            return Optional.empty();
        }
        try {
            int port = freePort();
            Process p = new ProcessBuilder(binary.get().toString(), "--port", String.valueOf(port), "--save", "",
                    "--appendonly", "no", "--bind", "127.0.0.1").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "testing-redis-shutdown"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!listening(port)) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    whyNot = "redis-server did not start on port " + port;
                    return Optional.empty();
                }
                Thread.onSpinWait();
            }
            return Optional.of("redis://127.0.0.1:" + port + "/15");
        } catch (IOException e) {
            whyNot = "cannot start redis-server: " + e.getMessage();
            return Optional.empty();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
