package dev.segrel.dragonfly;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Span;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cache's key layout, one namespace per graph: {@code segrel:v1:<kind>:<manifestation>[:<more>]}
 * for the default graph ({@link #DEFAULT}), {@code segrel:v1:env:<ENV>:<kind>:<manifestation>[:<more>]}
 * for the graph of environment {@code ENV} ({@link #environment}), so that two graphs never share an
 * entry. The schema version {@value #VERSION} changes whenever a value's encoding does, so that
 * workers of different versions never read each other's values. Manifestation ids are escaped
 * ({@code % : * ? [ ] \} as {@code %XX}) so that a SCAN pattern for one manifestation matches its
 * keys only. Immutable.
 */
public final class CacheKeys {

    public static final String VERSION = "v1";
    public static final String PREFIX = "segrel:" + VERSION + ":";
    /** Where the environments' namespaces start: {@code segrel:v1:env:}. */
    public static final String ENVIRONMENT_PREFIX = PREFIX + "env:";

    /** The default graph's keys, as they were before environments had graphs of their own. */
    public static final CacheKeys DEFAULT = new CacheKeys(null, PREFIX);

    // an environment name has no ':', so the name ends at the first ':' after ENVIRONMENT_PREFIX
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private final String environment;
    private final String prefix;

    private CacheKeys(String environment, String prefix) {
        this.environment = environment;
        this.prefix = prefix;
    }

    /** The keys of {@code environment}'s graph (named in any case; upper-cased in the key). */
    public static CacheKeys environment(String environment) {
        String name = requireNonNull(environment, "environment is null").toUpperCase(Locale.ROOT);
        if (!ENVIRONMENT.matcher(name).matches()) {
            throw new IllegalArgumentException("not an environment name: " + environment);
        }
        return new CacheKeys(name, ENVIRONMENT_PREFIX + name + ":");
    }

    /** The environment of these keys, empty for the default graph's. */
    public Optional<String> environmentName() {
        return Optional.ofNullable(environment);
    }

    /** What every key of this namespace starts with. */
    public String prefix() {
        return prefix;
    }

    /** The key of one manifestation's slice: {@code <prefix>slice:<manifestation>}. */
    public String slice(String manifestationId) {
        return prefix + "slice:" + escape(manifestationId);
    }

    String aligned(String manifestationId, Span span) {
        return prefix + "aligned:" + escape(manifestationId) + ":" + span.start() + ":" + span.end();
    }

    String segmentation(String manifestationId, Span span) {
        return prefix + "segmentation:" + escape(manifestationId) + ":" + span.start() + ":" + span.end();
    }

    String exists(String manifestationId) {
        return prefix + "exists:" + escape(manifestationId);
    }

    String segmentsOf(String manifestationId, String source) {
        return prefix + "segments:" + escape(manifestationId) + ":" + source;
    }

    /** The exact keys of this namespace about one manifestation. */
    String[] keysFor(String manifestationId) {
        return new String[] {slice(manifestationId), exists(manifestationId)};
    }

    /** SCAN patterns matching the other keys of this namespace about one manifestation (and no other's). */
    String[] patternsFor(String manifestationId) {
        String m = escape(manifestationId);
        return new String[] {prefix + "aligned:" + m + ":*", prefix + "segmentation:" + m + ":*",
                prefix + "segments:" + m + ":*"};
    }

    /**
     * A SCAN pattern matching every environment's keys about one manifestation, and some others: a
     * glob cannot stop at a ':', so callers keep only the keys {@link #isEnvironmentKeyOf} accepts.
     */
    static String environmentsPatternFor(String manifestationId) {
        return ENVIRONMENT_PREFIX + "*:" + escape(manifestationId) + "*";
    }

    /** True when {@code key} is a key of some environment's namespace about {@code manifestationId}. */
    static boolean isEnvironmentKeyOf(String key, String manifestationId) {
        if (!key.startsWith(ENVIRONMENT_PREFIX)) {
            return false;
        }
        int end = key.indexOf(':', ENVIRONMENT_PREFIX.length());
        if (end < 0 || !ENVIRONMENT.matcher(key.substring(ENVIRONMENT_PREFIX.length(), end)).matches()) {
            return false;
        }
        CacheKeys namespace = new CacheKeys(null, key.substring(0, end + 1));
        for (String exact : namespace.keysFor(manifestationId)) {
            if (key.equals(exact)) {
                return true;
            }
        }
        for (String pattern : namespace.patternsFor(manifestationId)) {
            // each pattern is a literal followed by one '*'
            if (key.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** The SCAN pattern matching every key of this version, every environment's included. */
    static String allPattern() {
        return PREFIX + "*";
    }

    static String escape(String id) {
        StringBuilder out = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            switch (c) {
                case '%', ':', '*', '?', '[', ']', '\\' -> out.append('%').append(String.format("%02X", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "CacheKeys[" + prefix + "]";
    }
}
