package dev.segrel.devstack.redis;

import dev.segrel.devstack.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process on a loopback port, with nothing persisted: the Redis-protocol server
 * for the cache in tests and benchmarks where no Dragonfly or Redis is configured (Dragonfly speaks
 * the same protocol). Stopping it is a scenario of its own in the fault suite.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code redis-server} binary on the PATH, if there is one. */
    public static Optional<Path> binary() {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> Arrays.stream(p.split(File.pathSeparator)))
                .map(d -> Path.of(d, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts {@code binary} on a free loopback port, its output to {@code log} (discarded when null),
     * and returns once it accepts connections.
     *
     * @throws IOException when it cannot start or does not listen within 10 s
     */
    public static RedisServer start(Path binary, Path log) throws IOException {
        int port = LoopbackPorts.free();
        ProcessBuilder builder = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")).redirectErrorStream(true);
        builder.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
        Process process = builder.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!LoopbackPorts.listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("redis-server did not start listening on 127.0.0.1:" + port
                        + " within " + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.onSpinWait();
        }
        return new RedisServer(process, port);
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port/db}. */
    public String url(int db) {
        return "redis://127.0.0.1:" + port + "/" + db;
    }

    /** Stops the server (SIGTERM) and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
