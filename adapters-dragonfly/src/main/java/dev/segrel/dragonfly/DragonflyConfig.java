package dev.segrel.dragonfly;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach the cache (Dragonfly, or any Redis-protocol server), parsed once from the
 * environment ({@link #read}, or {@link #fromSettings} on its own).
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
     * Reads the keys above; every bad key is reported in one {@link ConfigException} (one line, the
     * problems separated by "; "), the password never appears in it.
     */
    public static DragonflyConfig fromSettings(Settings s) {
        return ConfigReader.readOrThrow(s, DragonflyConfig::read, "");
    }

    /**
     * Reads the keys above, recording every bad key in {@code reader} (never with the password); a
     * bad value reads as its default, a bad URL as unset.
     */
    public static DragonflyConfig read(ConfigReader reader) {
        Optional<String> url = reader.optional("DRAGONFLY_URL", DragonflyConfig::urlProblem);
        Duration timeout = Duration.ofMillis(positive(reader, "SEGREL_CACHE_TIMEOUT_MS", DEFAULT_TIMEOUT.toMillis()));
        Duration slice = Duration.ofMillis(positive(reader, "SEGREL_CACHE_SLICE_TIMEOUT_MS",
                DEFAULT_SLICE_TIMEOUT.toMillis()));
        Duration connect = Duration.ofMillis(positive(reader, "SEGREL_CACHE_CONNECT_TIMEOUT_MS",
                DEFAULT_CONNECT_TIMEOUT.toMillis()));
        Duration ttl = Duration.ofSeconds(positive(reader, "SEGREL_CACHE_TTL_SECONDS", DEFAULT_TTL.toSeconds()));
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

    private static long positive(ConfigReader reader, String key, long defaultValue) {
        return reader.longValue(key, defaultValue, 1, Long.MAX_VALUE, "a number", "a positive number");
    }

    private static void positive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
