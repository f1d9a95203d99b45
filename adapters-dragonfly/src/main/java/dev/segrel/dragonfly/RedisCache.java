package dev.segrel.dragonfly;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A best-effort byte cache over one Lettuce connection. Every command is bounded by the configured
 * timeout; a server that is down, slow or not yet connected makes reads miss and writes drop,
 * never throw, and each such fallback is counted ({@link #fallbacks()}, exported as a metric).
 *
 * <p>The connection is opened in the background: a process starts at once even when the cache is
 * down, and reconnects (at most every {@link #RECONNECT_EVERY}) after losing it. Commands are
 * rejected, not queued, while disconnected. Thread-safe; one per process; close at shutdown.
 */
public final class RedisCache implements AutoCloseable {

    static final Duration RECONNECT_EVERY = Duration.ofSeconds(5);
    static final Duration OPERATOR_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final DragonflyConfig config;
    private final RedisClient client;
    private final long timeoutNanos;
    private final AtomicReference<StatefulRedisConnection<String, byte[]>> connection = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<?>> connecting = new AtomicReference<>();
    private final AtomicLong nextAttemptNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private volatile boolean closed;

    private RedisCache(DragonflyConfig config) {
        this.config = config;
        this.timeoutNanos = config.timeout().toNanos();
        RedisURI uri = RedisURI.create(config.url().orElseThrow(() -> new IllegalArgumentException("cache is disabled")));
        uri.setTimeout(config.connectTimeout()); // bounds the connection handshake; commands are bounded by await()
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Dragonfly and Redis before 8 reject CLIENT MAINT_NOTIFICATIONS, which Lettuce 7 sends on connect
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).build())
                // tasks' calls are bounded by await(); this only reaps commands nobody waits for, and
                // leaves operator commands (SCAN + DEL) the time they need
                .timeoutOptions(TimeoutOptions.enabled(OPERATOR_TIMEOUT))
                .build());
    }

    /**
     * A cache for {@code config}, connecting in the background. When {@code awaitConnection} is
     * positive, waits up to that long for the first connection (a process that wants warm hits
     * from its first task); failing that it still returns, uncached until the server answers.
     */
    public static RedisCache start(DragonflyConfig config, Duration awaitConnection) {
        requireNonNull(config, "config is null");
        RedisCache cache = new RedisCache(config);
        CompletableFuture<?> first = cache.connectInBackground();
        if (first != null && !awaitConnection.isZero()) {
            try {
                first.get(awaitConnection.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("cache at {} not reachable yet; running uncached until it is: {}", config.redactedUrl(),
                        e.getCause() == null ? e.toString() : e.getCause().getMessage());
            }
        }
        return cache;
    }

    /**
     * A cache for an operator's command: connects now, waiting up to the configured connect
     * timeout ({@code SEGREL_CACHE_CONNECT_TIMEOUT_MS}), and opens no background connection that
     * could replace this one under a running command.
     *
     * @throws IllegalStateException when the server cannot be reached within the timeout
     */
    public static RedisCache connect(DragonflyConfig config) {
        requireNonNull(config, "config is null");
        RedisCache cache = new RedisCache(config);
        try {
            cache.connectNow();
            return cache;
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    public DragonflyConfig config() {
        return config;
    }

    /** Calls that fell back because the cache was down, slow or failing. */
    public long fallbacks() {
        return fallbacks.get();
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    /** True when a connection is open now. */
    public boolean connected() {
        StatefulRedisConnection<String, byte[]> c = connection.get();
        return c != null && c.isOpen();
    }

    /** The value, or empty on a miss or any fault. */
    public Optional<byte[]> get(String key) {
        return get(key, config.timeout());
    }

    /** As {@link #get(String)}, waiting up to {@code timeout} (big values). */
    public Optional<byte[]> get(String key, Duration timeout) {
        RedisAsyncCommands<String, byte[]> redis = commands();
        if (redis == null) {
            return Optional.empty();
        }
        byte[] value = await(redis.get(key), timeout.toNanos());
        count(value != null);
        return Optional.ofNullable(value);
    }

    /** The values of these keys in one round trip, {@code null} for each miss; all {@code null} on a fault. */
    public List<byte[]> getAll(List<String> keys) {
        List<byte[]> out = new ArrayList<>(keys.size());
        RedisAsyncCommands<String, byte[]> redis = commands();
        List<KeyValue<String, byte[]>> values = redis == null || keys.isEmpty() ? null
                : await(redis.mget(keys.toArray(String[]::new)));
        for (int i = 0; i < keys.size(); i++) {
            byte[] v = values == null || i >= values.size() || !values.get(i).hasValue() ? null : values.get(i).getValue();
            if (redis != null) {
                count(v != null);
            }
            out.add(v);
        }
        return out;
    }

    /** Stores a value with the configured TTL; dropped on a fault. */
    public void put(String key, byte[] value) {
        put(key, value, config.timeout());
    }

    /** As {@link #put(String, byte[])}, waiting up to {@code timeout} (big values). */
    public void put(String key, byte[] value, Duration timeout) {
        RedisAsyncCommands<String, byte[]> redis = commands();
        if (redis != null) {
            await(redis.set(key, value, SetArgs.Builder.ex(config.ttl())), timeout.toNanos());
        }
    }

    /** Stores several values with the configured TTL in one pipelined batch; dropped on a fault. */
    public void putAll(Map<String, byte[]> values) {
        RedisAsyncCommands<String, byte[]> redis = commands();
        if (redis == null || values.isEmpty()) {
            return;
        }
        List<RedisFuture<String>> writes = new ArrayList<>(values.size());
        values.forEach((k, v) -> writes.add(redis.set(k, v, SetArgs.Builder.ex(config.ttl()))));
        for (RedisFuture<String> w : writes) {
            if (await(w) == null) {
                return;
            }
        }
    }

    /**
     * Asks the server for {@code PONG} on the operator connection ({@code doctor}).
     *
     * @throws IllegalStateException when it cannot be reached or answers something else
     */
    public void ping() {
        String reply;
        try {
            reply = connectNow().sync().ping();
        } catch (RedisException e) {
            throw new IllegalStateException("cache at " + config.redactedUrl() + " failed: " + e.getMessage(), e);
        }
        if (!"PONG".equals(reply)) {
            throw new IllegalStateException("cache at " + config.redactedUrl() + " answered '" + reply + "' to PING");
        }
    }

    /**
     * Deletes every key matching {@code pattern} with SCAN (never KEYS, which blocks the server)
     * plus the exact {@code keys}. Not bounded by the command timeout: an operator command.
     *
     * @return how many keys were deleted
     * @throws IllegalStateException when the server cannot be reached
     */
    public long deleteMatching(List<String> patterns, List<String> keys) {
        return deleteMatching(patterns, key -> true, keys);
    }

    /** As {@link #deleteMatching(List, List)}, deleting only the matching keys that {@code keep} accepts. */
    long deleteMatching(List<String> patterns, Predicate<String> keep, List<String> keys) {
        requireNonNull(keep, "keep is null");
        try {
            return deleteMatching(connectNow().sync(), patterns, keep, keys);
        } catch (RedisException e) {
            throw new IllegalStateException("cache at " + config.redactedUrl() + " failed: " + e.getMessage(), e);
        }
    }

    private static long deleteMatching(RedisCommands<String, byte[]> sync, List<String> patterns,
            Predicate<String> keep, List<String> keys) {
        long deleted = keys.isEmpty() ? 0 : sync.del(keys.toArray(String[]::new));
        for (String pattern : patterns) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = sync.scan(cursor, ScanArgs.Builder.matches(pattern).limit(500));
                String[] matched = page.getKeys().stream().filter(keep).toArray(String[]::new);
                if (matched.length > 0) {
                    deleted += sync.del(matched);
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
        return deleted;
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<String, byte[]> c = connection.getAndSet(null);
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }

    @Override
    public String toString() {
        return "RedisCache[" + config.redactedUrl() + "]";
    }

    private void count(boolean hit) {
        (hit ? hits : misses).incrementAndGet();
    }

    /** The commands, or null (a fallback counted) when not connected. */
    private RedisAsyncCommands<String, byte[]> commands() {
        StatefulRedisConnection<String, byte[]> c = connection.get();
        if (c != null && c.isOpen()) {
            return c.async();
        }
        connectInBackground();
        fallbacks.incrementAndGet();
        return null;
    }

    /** Waits for the background connection attempt under way, if any, to end (tests). */
    void awaitBackgroundConnect() {
        CompletableFuture<?> attempt = connecting.get();
        if (attempt != null) {
            try {
                attempt.get(config.connectTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("background connect ended with {}", e.toString());
            }
        }
    }

    private <T> T await(RedisFuture<T> future) {
        return await(future, timeoutNanos);
    }

    private <T> T await(RedisFuture<T> future, long nanos) {
        try {
            return future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            future.cancel(true);
            LOG.debug("cache call failed, falling back: {}", e.toString());
        }
        fallbacks.incrementAndGet();
        return null;
    }

    private CompletableFuture<?> connectInBackground() {
        long now = System.nanoTime();
        long next = nextAttemptNanos.get();
        if (closed || (next != Long.MIN_VALUE && now < next)
                || !nextAttemptNanos.compareAndSet(next, now + RECONNECT_EVERY.toNanos())) {
            return connecting.get();
        }
        CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt =
                client.connectAsync(CODEC, redisUri()).toCompletableFuture();
        connecting.set(attempt);
        attempt.whenComplete((c, e) -> {
            if (e != null) {
                LOG.debug("cache connection to {} failed: {}", config.redactedUrl(), e.toString());
            } else {
                install(c);
            }
        });
        return attempt;
    }

    /**
     * Makes {@code fresh} the connection unless an open one is already in place (a command may be
     * running on it: replacing it would close it under that command), and returns the one in use;
     * null once the cache is closed.
     */
    private StatefulRedisConnection<String, byte[]> install(StatefulRedisConnection<String, byte[]> fresh) {
        while (true) {
            StatefulRedisConnection<String, byte[]> current = connection.get();
            if (closed || (current != null && current.isOpen())) {
                fresh.close();
                return closed ? null : current;
            }
            if (connection.compareAndSet(current, fresh)) {
                if (current != null) {
                    current.close();
                }
                return fresh;
            }
        }
    }

    private StatefulRedisConnection<String, byte[]> connectNow() {
        StatefulRedisConnection<String, byte[]> c = connection.get();
        if (c != null && c.isOpen()) {
            return c;
        }
        try {
            c = client.connect(CODEC, redisUri());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cache at " + config.redactedUrl() + " is unreachable: " + e.getMessage(), e);
        }
        StatefulRedisConnection<String, byte[]> installed = install(c);
        if (installed == null) {
            throw new IllegalStateException("cache at " + config.redactedUrl() + " is closed");
        }
        return installed;
    }

    private RedisURI redisUri() {
        RedisURI uri = RedisURI.create(config.url().orElseThrow());
        uri.setTimeout(config.connectTimeout()); // bounds the connection handshake; commands are bounded by await()
        return uri;
    }
}
