package dev.segrel.dragonfly;

import dev.segrel.core.domain.Span;

/**
 * The cache's key layout: {@code segrel:v1:<kind>:<manifestation>[:<more>]}. The schema version
 * {@value #VERSION} changes whenever a value's encoding does, so that workers of different versions
 * never read each other's values. Manifestation ids are escaped ({@code % : * ? [ ] \} as
 * {@code %XX}) so that a SCAN pattern for one manifestation matches its keys only.
 */
public final class CacheKeys {

    public static final String VERSION = "v1";
    public static final String PREFIX = "segrel:" + VERSION + ":";

    private CacheKeys() {}

    /** The key of one manifestation's slice: {@code segrel:v1:slice:<manifestation>}. */
    public static String slice(String manifestationId) {
        return PREFIX + "slice:" + escape(manifestationId);
    }

    static String aligned(String manifestationId, Span span) {
        return PREFIX + "aligned:" + escape(manifestationId) + ":" + span.start() + ":" + span.end();
    }

    static String segmentation(String manifestationId, Span span) {
        return PREFIX + "segmentation:" + escape(manifestationId) + ":" + span.start() + ":" + span.end();
    }

    static String exists(String manifestationId) {
        return PREFIX + "exists:" + escape(manifestationId);
    }

    static String segmentsOf(String manifestationId, String source) {
        return PREFIX + "segments:" + escape(manifestationId) + ":" + source;
    }

    /** The exact keys of this version about one manifestation. */
    static String[] keysFor(String manifestationId) {
        return new String[] {slice(manifestationId), exists(manifestationId)};
    }

    /** SCAN patterns matching the other keys of this version about one manifestation (and no other's). */
    static String[] patternsFor(String manifestationId) {
        String m = escape(manifestationId);
        return new String[] {PREFIX + "aligned:" + m + ":*", PREFIX + "segmentation:" + m + ":*",
                PREFIX + "segments:" + m + ":*"};
    }

    /** The SCAN pattern matching every key of this version. */
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
}
