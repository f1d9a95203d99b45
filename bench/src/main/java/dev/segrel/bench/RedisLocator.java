package dev.segrel.bench;

import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.devstack.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a Redis-protocol server for the cache rows: the given URL, else one listening on
 * 127.0.0.1:6379, else a {@code redis-server} started on a free port (stopped by {@link #close}).
 */
final class RedisLocator implements AutoCloseable {

    private RedisServer started;
    String why = "";

    Optional<String> find(Optional<String> configured) {
        if (configured.isPresent()) {
            return configured;
        }
        if (LoopbackPorts.listening(6379)) {
            return Optional.of("redis://127.0.0.1:6379/14");
        }
        Optional<Path> binary = RedisServer.binary();
        if (binary.isEmpty()) {
            why = "no DRAGONFLY_URL, nothing on 127.0.0.1:6379 and no redis-server on the PATH";
            return Optional.empty();
        }
        try {
            started = RedisServer.start(binary.get(), null);
            return Optional.of(started.url(0));
        } catch (IOException e) {
            why = "cannot start redis-server: " + e.getMessage();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (started != null) {
            started.close();
        }
    }
}
