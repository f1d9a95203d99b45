package dev.segrel.core.json;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON compactly (no whitespace) into a {@link StringBuilder}: either value by value through
 * the fluent methods, or a whole tree of the types {@link JsonReader} produces (plus any
 * {@link Collection}, {@link Integer} and other integral {@link Number}s) with {@link #value}.
 *
 * <p>Strings are escaped so that the output is valid JSON and safe to embed anywhere: {@code "} and
 * {@code \}, every control character below U+0020 (short forms where JSON has them), DEL, U+2028 and
 * U+2029 (line separators in JavaScript) and lone surrogates (which UTF-8 cannot encode) are written
 * as escapes; every other character is written as is.
 *
 * <p>The fluent methods do not check the structure (commas are the caller's job through
 * {@link #comma}); {@link #value} always writes valid JSON. Not thread-safe.
 */
public final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;

    public JsonWriter(StringBuilder out) {
        this.out = requireNonNull(out, "out is null");
    }

    public JsonWriter() {
        this(new StringBuilder(128));
    }

    /** The whole value as a JSON text. */
    public static String write(Object value) {
        return new JsonWriter().value(value).toString();
    }

    /** The string as a JSON string literal, quotes included. */
    public static String quote(String text) {
        return new JsonWriter(new StringBuilder(text.length() + 2)).string(text).toString();
    }

    public JsonWriter beginObject() {
        out.append('{');
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        out.append('[');
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        return this;
    }

    public JsonWriter comma() {
        out.append(',');
        return this;
    }

    /** A member name and its colon. */
    public JsonWriter name(String name) {
        string(name);
        out.append(':');
        return this;
    }

    public JsonWriter number(long value) {
        out.append(value);
        return this;
    }

    /** A string literal; {@code null} writes {@code null}. */
    public JsonWriter string(String text) {
        if (text == null) {
            out.append("null");
            return this;
        }
        out.append('"');
        int n = text.length();
        int copied = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
                continue;
            }
            if (c > 0x7f && !needsEscapeAbove7f(text, i, c)) {
                if (Character.isHighSurrogate(c)) {
                    i++; // a valid pair: keep both halves
                }
                continue;
            }
            out.append(text, copied, i);
            escape(c);
            copied = i + 1;
        }
        out.append(text, copied, n).append('"');
        return this;
    }

    private static boolean needsEscapeAbove7f(String text, int i, char c) {
        if (c == '\u2028' || c == '\u2029') {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c); // reached only when not after a high surrogate
    }

    private void escape(char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            default -> out.append("\\u")
                    .append(HEX[(c >> 12) & 0xF])
                    .append(HEX[(c >> 8) & 0xF])
                    .append(HEX[(c >> 4) & 0xF])
                    .append(HEX[c & 0xF]);
        }
    }

    /**
     * Any value of a JSON tree: {@code null}, {@link Boolean}, {@link String}, {@link Number}
     * (finite), {@link Map} with string keys, {@link Collection}.
     *
     * @throws IllegalArgumentException for another type, a non-string key or a non-finite number
     */
    public JsonWriter value(Object value) {
        switch (value) {
            case null -> out.append("null");
            case String text -> string(text);
            case Boolean b -> out.append(b.booleanValue());
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case Short sh -> out.append(sh.shortValue());
            case Byte by -> out.append(by.byteValue());
            case BigInteger big -> out.append(big);
            case BigDecimal big -> out.append(big.toString());
            case Double d -> finite(d);
            case Float f -> finite(f.doubleValue());
            case Map<?, ?> map -> map(map);
            case Collection<?> items -> {
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    value(item);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException(
                    "cannot write a " + value.getClass().getName() + " as JSON");
        }
        return this;
    }

    private void map(Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON member names must be strings, was " + e.getKey());
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            name(key);
            value(e.getValue());
        }
        out.append('}');
    }

    private void finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        out.append(d);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
