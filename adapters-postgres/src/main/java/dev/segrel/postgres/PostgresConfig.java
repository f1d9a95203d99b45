package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How segrel reaches PostgreSQL, parsed once from the settings ({@link #read}, or {@link #fromSettings} on
 * its own).
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code POSTGRES_URL}</td><td>(required)</td><td>libpq form
 *     {@code postgresql://user[:password]@host[:port]/db[?sslmode=…]} (or {@code postgres://}), as the
 *     existing service has it, or a JDBC URL {@code jdbc:postgresql://host:port/db?user=…}</td></tr>
 * <tr><td>{@code SEGREL_POSTGRES_POOL_SIZE}</td><td>10</td><td>connections in the pool</td></tr>
 * <tr><td>{@code SEGREL_MIGRATE_ON_START}</td><td>true</td><td>the worker applies migrations when it starts</td></tr>
 * <tr><td>{@code SEGREL_MAX_RESULT_BYTES}</td><td>67108864</td><td>largest {@code result_json} stored</td></tr>
 * <tr><td>{@code SEGREL_TABLE_LAYOUT}</td><td>(detected)</td><td>{@code readme}, {@code v1} or {@code current}: the
 *     {@link TableLayout} to adopt when the tables do not say it alone; the layout segrel recorded wins</td></tr>
 * <tr><td>{@code SEGREL_POSTGRES_STATEMENT_TIMEOUT_MS}</td><td>30000</td><td>the pool's {@code statement_timeout};
 *     0: none ({@link PostgresTimeouts})</td></tr>
 * <tr><td>{@code SEGREL_POSTGRES_SOCKET_TIMEOUT_MS}</td><td>45000</td><td>the driver's socket timeout, longer than the
 *     statement timeout; 0: none</td></tr>
 * <tr><td>{@code SEGREL_MIGRATE_LOCK_TIMEOUT_MS}</td><td>1000</td><td>longest a migration step waits for a table
 *     lock before it gives up and tries again (the live system's statements queue behind it meanwhile)</td></tr>
 * </table>
 *
 * @param jdbcUrl JDBC URL without user and password; other parameters (sslpassword …) may hold a
 *     credential, so print {@link #displayUrl()} instead
 * @param user the user name, or null for the driver's default
 * @param password the password, or null; never logged ({@link #toString} redacts it)
 * @param tableLayout the layout {@code SEGREL_TABLE_LAYOUT} names; empty: detect it
 * @param timeouts how long one call on the pool's connections may take
 * @param migrateLockTimeoutMillis {@code SEGREL_MIGRATE_LOCK_TIMEOUT_MS}
 */
public record PostgresConfig(String jdbcUrl, String user, String password, int poolSize, boolean migrateOnStart,
        int maxResultBytes, Optional<TableLayout> tableLayout, PostgresTimeouts timeouts, int migrateLockTimeoutMillis) {

    public static final String URL_KEY = "POSTGRES_URL";
    public static final String POOL_SIZE_KEY = "SEGREL_POSTGRES_POOL_SIZE";
    public static final String MIGRATE_ON_START_KEY = "SEGREL_MIGRATE_ON_START";
    public static final String MAX_RESULT_BYTES_KEY = "SEGREL_MAX_RESULT_BYTES";
    public static final String TABLE_LAYOUT_KEY = "SEGREL_TABLE_LAYOUT";
    public static final String MIGRATE_LOCK_TIMEOUT_KEY = "SEGREL_MIGRATE_LOCK_TIMEOUT_MS";

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024;
    public static final int MAX_POOL_SIZE = 1_000;
    /** Below the 2 s a producer's statement may wait: it queues behind a lock the migration waits for. */
    public static final int DEFAULT_MIGRATE_LOCK_TIMEOUT_MILLIS = 1_000;
    public static final int MAX_MIGRATE_LOCK_TIMEOUT_MILLIS = 60_000;

    /**
     * What {@link #read} puts in place of a missing or bad {@code POSTGRES_URL} so that reading goes
     * on: a host of the reserved {@code .invalid} domain, which never resolves.
     */
    static final String UNREAD_URL = "jdbc:postgresql://unread.invalid/postgres";

    private static final Parsed UNREAD = new Parsed(UNREAD_URL, null, null);

    public PostgresConfig {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:");
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException(POOL_SIZE_KEY + " must be 1.." + MAX_POOL_SIZE + ", was " + poolSize);
        }
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException(MAX_RESULT_BYTES_KEY + " must be >= 1, was " + maxResultBytes);
        }
        requireNonNull(tableLayout, "tableLayout is null");
        requireNonNull(timeouts, "timeouts is null");
        if (migrateLockTimeoutMillis < 1 || migrateLockTimeoutMillis > MAX_MIGRATE_LOCK_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException(MIGRATE_LOCK_TIMEOUT_KEY + " must be 1.." + MAX_MIGRATE_LOCK_TIMEOUT_MILLIS
                    + ", was " + migrateLockTimeoutMillis);
        }
    }

    /** A config with the default timeouts and {@code SEGREL_MIGRATE_LOCK_TIMEOUT_MS}. */
    public PostgresConfig(String jdbcUrl, String user, String password, int poolSize, boolean migrateOnStart,
            int maxResultBytes, Optional<TableLayout> tableLayout) {
        this(jdbcUrl, user, password, poolSize, migrateOnStart, maxResultBytes, tableLayout, PostgresTimeouts.DEFAULTS,
                DEFAULT_MIGRATE_LOCK_TIMEOUT_MILLIS);
    }

    /** A config without {@code SEGREL_TABLE_LAYOUT}: the layout is detected. */
    public PostgresConfig(String jdbcUrl, String user, String password, int poolSize, boolean migrateOnStart,
            int maxResultBytes) {
        this(jdbcUrl, user, password, poolSize, migrateOnStart, maxResultBytes, Optional.empty());
    }

    /**
     * Reads the keys above; throws a {@link ConfigException} naming every bad key on one line
     * (problems separated by "; "), without the password.
     */
    public static PostgresConfig fromSettings(Settings settings) {
        return ConfigReader.readOrThrow(settings, PostgresConfig::read, "");
    }

    /**
     * Reads the keys above, recording every problem in {@code reader} (none shows the password). A
     * bad value reads as its default; a missing or bad {@code POSTGRES_URL} as a URL of the reserved
     * host {@code unread.invalid}, which never resolves.
     */
    public static PostgresConfig read(ConfigReader reader) {
        String url = reader.required(URL_KEY, "expected postgresql://user:password@host:5432/database");
        Parsed parsed = UNREAD;
        if (!url.isEmpty()) {
            try {
                parsed = parseUrl(url);
            } catch (IllegalArgumentException e) {
                // parseUrl's messages name the key and never echo the password
                reader.problem(e.getMessage());
            }
        }
        return new PostgresConfig(
                parsed.jdbcUrl,
                parsed.user,
                parsed.password,
                reader.intValue(POOL_SIZE_KEY, DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE, "an integer", "1.." + MAX_POOL_SIZE),
                reader.bool(MIGRATE_ON_START_KEY, true),
                reader.intValue(MAX_RESULT_BYTES_KEY, DEFAULT_MAX_RESULT_BYTES, 1, Integer.MAX_VALUE, "an integer", ">= 1"),
                reader.optional(TABLE_LAYOUT_KEY, value -> TableLayout.fromKey(value).isPresent() ? Optional.empty()
                                : Optional.of("must be " + TableLayout.keys() + ", was '" + value + "'"))
                        .flatMap(TableLayout::fromKey),
                PostgresTimeouts.read(reader),
                reader.intValue(MIGRATE_LOCK_TIMEOUT_KEY, DEFAULT_MIGRATE_LOCK_TIMEOUT_MILLIS, 1,
                        MAX_MIGRATE_LOCK_TIMEOUT_MILLIS, "an integer (milliseconds)", "1.." + MAX_MIGRATE_LOCK_TIMEOUT_MILLIS));
    }

    /** A config for {@code url} (either form) with the defaults. */
    public static PostgresConfig ofUrl(String url) {
        Parsed parsed = parseUrl(requireNonNull(url, "url is null"));
        return new PostgresConfig(parsed.jdbcUrl, parsed.user, parsed.password, DEFAULT_POOL_SIZE, true, DEFAULT_MAX_RESULT_BYTES);
    }

    public PostgresConfig withPoolSize(int size) {
        return new PostgresConfig(jdbcUrl, user, password, size, migrateOnStart, maxResultBytes, tableLayout, timeouts,
                migrateLockTimeoutMillis);
    }

    public PostgresConfig withMaxResultBytes(int bytes) {
        return new PostgresConfig(jdbcUrl, user, password, poolSize, migrateOnStart, bytes, tableLayout, timeouts,
                migrateLockTimeoutMillis);
    }

    /** This config with {@code SEGREL_TABLE_LAYOUT} set to {@code layout}. */
    public PostgresConfig withTableLayout(TableLayout layout) {
        return new PostgresConfig(jdbcUrl, user, password, poolSize, migrateOnStart, maxResultBytes,
                Optional.of(requireNonNull(layout, "layout is null")), timeouts, migrateLockTimeoutMillis);
    }

    /** This config with {@code timeouts} on the pool's connections. */
    public PostgresConfig withTimeouts(PostgresTimeouts timeouts) {
        return new PostgresConfig(jdbcUrl, user, password, poolSize, migrateOnStart, maxResultBytes, tableLayout,
                requireNonNull(timeouts, "timeouts is null"), migrateLockTimeoutMillis);
    }

    /** This config with {@code SEGREL_MIGRATE_LOCK_TIMEOUT_MS} set to {@code millis}. */
    public PostgresConfig withMigrateLockTimeoutMillis(int millis) {
        return new PostgresConfig(jdbcUrl, user, password, poolSize, migrateOnStart, maxResultBytes, tableLayout, timeouts,
                millis);
    }

    /**
     * The JDBC URL as errors and {@code doctor} may show it: every credential-like parameter
     * ({@code sslpassword}, {@code SSLPassword}, tokens, keys …) masked.
     */
    public String displayUrl() {
        return Secrets.redact(jdbcUrl);
    }

    @Override
    public String toString() {
        return "PostgresConfig[jdbcUrl=" + displayUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", poolSize=" + poolSize + ", migrateOnStart=" + migrateOnStart + ", maxResultBytes=" + maxResultBytes
                + ", tableLayout=" + tableLayout.map(TableLayout::key).orElse("detect") + ", timeouts=" + timeouts
                + ", migrateLockTimeoutMillis=" + migrateLockTimeoutMillis + "]";
    }

    private record Parsed(String jdbcUrl, String user, String password) {}

    private static Parsed parseUrl(String raw) {
        String url = raw.trim();
        String lower = url.toLowerCase(Locale.ROOT);
        String rest;
        boolean jdbc;
        if (lower.startsWith("jdbc:postgresql://")) {
            rest = url.substring("jdbc:postgresql://".length());
            jdbc = true;
        } else if (lower.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
            jdbc = false;
        } else if (lower.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
            jdbc = false;
        } else {
            int colon = url.indexOf(':');
            String scheme = colon > 0 && colon < 20 ? url.substring(0, colon) : "none";
            throw new IllegalArgumentException(URL_KEY + " must start with postgresql://, postgres:// or jdbc:postgresql://"
                    + " (scheme was '" + scheme.replaceAll("[^A-Za-z0-9+.-]", "?") + "')");
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            if (jdbc) {
                throw new IllegalArgumentException(URL_KEY + " in JDBC form takes credentials as ?user=…&password=…, not user@host");
            }
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon >= 0 ? info.substring(0, colon) : info, "user name");
            password = colon >= 0 ? decode(info.substring(colon + 1), "password") : null;
        }
        int slash = rest.indexOf('/');
        String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
        String database = slash >= 0 ? decode(rest.substring(slash + 1), "database name") : "";
        if (hostPort.isEmpty()) {
            throw new IllegalArgumentException(URL_KEY + " has no host (expected postgresql://user:password@host:5432/database)");
        }
        for (String host : hostPort.split(",")) {
            checkHost(host);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq >= 0 ? pair.substring(0, eq) : pair, "query parameter");
            String value = eq >= 0 ? decode(pair.substring(eq + 1), "value of " + key) : "";
            switch (key) {
                case "user" -> user = value;
                case "password" -> password = value;
                case "dbname" -> database = value;
                // libpq names that pgjdbc spells differently
                case "connect_timeout" -> params.put("connectTimeout", value);
                case "application_name" -> params.put("ApplicationName", value);
                default -> params.put(key, value);
            }
        }
        if (database.isEmpty()) {
            // libpq's default: the database named like the user
            database = user != null && !user.isEmpty() ? user : "postgres";
        }
        StringBuilder jdbcUrl = new StringBuilder("jdbc:postgresql://").append(hostPort).append('/')
                .append(URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"));
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            jdbcUrl.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return new Parsed(jdbcUrl.toString(), emptyToNull(user), emptyToNull(password));
    }

    private static void checkHost(String hostPort) {
        String host = hostPort;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(URL_KEY + " has an unclosed [ in its host");
            }
            host = hostPort.substring(0, close + 1);
            if (hostPort.length() > close + 1) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(URL_KEY + " has text after its IPv6 host");
                }
                port = hostPort.substring(close + 2);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                port = hostPort.substring(colon + 1);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(URL_KEY + " has no host (expected postgresql://user:password@host:5432/database)");
        }
        if (!host.matches("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(URL_KEY + " has an invalid host name");
        }
        if (port != null) {
            int value;
            try {
                value = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(URL_KEY + " port must be a number 1..65535, was '"
                        + port.replaceAll("[^A-Za-z0-9]", "?") + "'");
            }
            if (value < 1 || value > 65_535) {
                throw new IllegalArgumentException(URL_KEY + " port must be 1..65535, was " + value);
            }
        }
    }

    private static String decode(String text, String what) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL_KEY + " has a malformed %-escape in its " + what);
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
