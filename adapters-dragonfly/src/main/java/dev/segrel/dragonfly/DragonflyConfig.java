package dev.segrel.dragonfly;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to reach the cache (Dragonfly, or any Redis-protocol server), parsed once from the
 * environment ({@link #fromSettings}).
 *
 * <p>Keys (all optional): {@code DRAGONFLY_URL} ({@code redis://[user:pass@]host:port[/db]} or
 * {@code rediss://…}; unset: no cache, the worker runs uncached), {@code SEGREL_CACHE_TIMEOUT_MS}
 * (default 50: the most one cache call may take before the graph is asked instead),
 * {@code SEGREL_CACHE_SLICE_TIMEOUT_MS} (default 1000: the same for reading or writing one
 * manifestation's slice, which can be megabytes), {@code SEGREL_CACHE_CONNECT_TIMEOUT_MS} (default
 * 1000), {@code SEGREL_CACHE_TTL_SECONDS} (default 3600: how long an entry lives).
 *
 * @param url the server's URL; empty means no cache
 * @param timeout bound of every cache command but slices
 * @param sliceTimeout bound of reading or writing one slice
 * @param connectTimeout bound of a connection attempt
 * @param ttl time to live of every key written
 */
public record DragonflyConfig(Optional<String> url, Duration timeout, Duration sliceTimeout, Duration connectTimeout,
        Duration ttl) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    public static final Duration DEFAULT_SLICE_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    public DragonflyConfig {
        requireNonNull(url, "url is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(sliceTimeout, "sliceTimeout is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(ttl, "ttl is null");
        url.flatMap(DragonflyConfig::urlProblem).ifPresent(p -> {
            throw new IllegalArgumentException("url " + p);
        });
        positive("timeout", timeout);
        positive("sliceTimeout", sliceTimeout);
        positive("connectTimeout", connectTimeout);
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 s, was " + ttl);
        }
    }

    /** A cache at {@code url} with the default timeouts and TTL. */
    public static DragonflyConfig of(String url) {
        return new DragonflyConfig(Optional.of(url), DEFAULT_TIMEOUT, DEFAULT_SLICE_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_TTL);
    }

    /**
     * Reads the keys above; every bad key is reported in one {@link IllegalArgumentException}, the
     * password never appears in it.
     */
    public static DragonflyConfig fromSettings(Settings s) {
        requireNonNull(s, "settings is null");
        List<String> problems = new ArrayList<>();
        Optional<String> url = s.get("DRAGONFLY_URL");
        url.flatMap(DragonflyConfig::urlProblem).ifPresent(p -> problems.add("DRAGONFLY_URL " + p));
        Duration timeout = number(s, "SEGREL_CACHE_TIMEOUT_MS", DEFAULT_TIMEOUT.toMillis(), problems).map(Duration::ofMillis)
                .orElse(DEFAULT_TIMEOUT);
        Duration slice = number(s, "SEGREL_CACHE_SLICE_TIMEOUT_MS", DEFAULT_SLICE_TIMEOUT.toMillis(), problems)
                .map(Duration::ofMillis).orElse(DEFAULT_SLICE_TIMEOUT);
        Duration connect = number(s, "SEGREL_CACHE_CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT.toMillis(), problems)
                .map(Duration::ofMillis).orElse(DEFAULT_CONNECT_TIMEOUT);
        Duration ttl = number(s, "SEGREL_CACHE_TTL_SECONDS", DEFAULT_TTL.toSeconds(), problems).map(Duration::ofSeconds)
                .orElse(DEFAULT_TTL);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new DragonflyConfig(url, timeout, slice, connect, ttl);
    }

    public boolean enabled() {
        return url.isPresent();
    }

    /** The URL without its password, for logs and messages. */
    public String redactedUrl() {
        return url.map(DragonflyConfig::redact).orElse("(none)");
    }

    @Override
    public String toString() {
        return "DragonflyConfig[url=" + redactedUrl() + ", timeout=" + timeout + ", sliceTimeout=" + sliceTimeout
                + ", connectTimeout=" + connectTimeout
                + ", ttl=" + ttl + "]";
    }

    static String redact(String url) {
        int at = url.lastIndexOf('@');
        int scheme = url.indexOf("://");
        if (at < 0 || scheme < 0 || at < scheme) {
            return url;
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? "" : userInfo.substring(0, colon);
        return url.substring(0, scheme + 3) + user + ":***" + url.substring(at);
    }

    private static Optional<String> urlProblem(String url) {
        try {
            URI uri = new URI(url);
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                return Optional.of("must start with redis:// or rediss://, was '" + redact(url) + "'");
            }
            if (uri.getHost() == null) {
                return Optional.of("has no host: '" + redact(url) + "'");
            }
            String path = uri.getPath();
            if (path != null && !path.isEmpty() && !path.equals("/") && !path.substring(1).matches("\\d+")) {
                return Optional.of("database must be a number, was '" + path.substring(1) + "'");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: '" + redact(url) + "'");
        }
    }

    private static Optional<Long> number(Settings s, String key, long defaultValue, List<String> problems) {
        Optional<String> raw = s.get(key);
        if (raw.isEmpty()) {
            return Optional.of(defaultValue);
        }
        try {
            long v = Long.parseLong(raw.get());
            if (v < 1) {
                problems.add(key + " must be a positive number, was " + v);
                return Optional.empty();
            }
            return Optional.of(v);
        } catch (NumberFormatException e) {
            problems.add(key + " must be a number, was '" + raw.get() + "'");
            return Optional.empty();
        }
    }

    private static void positive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
