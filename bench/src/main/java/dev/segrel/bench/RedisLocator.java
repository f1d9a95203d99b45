package dev.segrel.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds a Redis-protocol server for the cache rows: the given URL, else one listening on
 * 127.0.0.1:6379, else a {@code redis-server} started on a free port (stopped by {@link #close}).
 */
final class RedisLocator implements AutoCloseable {

    private Process started;
    String why = "";

    Optional<String> find(Optional<String> configured) {
        if (configured.isPresent()) {
            return configured;
        }
        if (listening(6379)) {
            return Optional.of("redis://127.0.0.1:6379/14");
        }
        Optional<Path> binary = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> Arrays.stream(p.split(File.pathSeparator))).map(d -> Path.of(d, "redis-server"))
                .filter(Files::isExecutable).findFirst();
        if (binary.isEmpty()) {
            why = "no DRAGONFLY_URL, nothing on 127.0.0.1:6379 and no redis-server on the PATH";
            return Optional.empty();
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            started = new ProcessBuilder(binary.get().toString(), "--port", String.valueOf(port), "--save", "",
                    "--appendonly", "no", "--bind", "127.0.0.1").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!listening(port)) {
                if (System.nanoTime() > deadline || !started.isAlive()) {
                    why = "redis-server did not start";
                    return Optional.empty();
                }
                Thread.onSpinWait();
            }
            return Optional.of("redis://127.0.0.1:" + port);
        } catch (IOException e) {
            why = "cannot start redis-server: " + e.getMessage();
            return Optional.empty();
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

    @Override
    public void close() {
        if (started != null) {
            started.destroy();
        }
    }
}
