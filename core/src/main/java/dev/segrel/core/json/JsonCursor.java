package dev.segrel.core.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The position of {@link JsonReader} in one text: reads one JSON value and reports where it went wrong. */
final class JsonCursor {

    private static final int MAX_NUMBER_CHARS = 100;

    private final String s;
    private final int n;
    private final int maxDepth;
    private int pos;
    private int depth;

    JsonCursor(String s, int maxDepth) {
        this.s = s;
        this.n = s.length();
        this.maxDepth = maxDepth;
    }

    Object document() {
        skipWhitespace();
        if (pos >= n) {
            throw fail(n == 0 ? "empty input" : "no value, only whitespace");
        }
        Object value = value();
        skipWhitespace();
        if (pos < n) {
            throw fail("unexpected " + describe(s.charAt(pos)) + " after the value");
        }
        return value;
    }

    private Object value() {
        if (pos >= n) {
            throw fail("unexpected end of input, expected a value");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw fail("unexpected " + describe(c) + ", expected a value");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw fail(pos >= n ? "unexpected end of input, expected a member name" : "unexpected "
                        + describe(s.charAt(pos)) + ", expected a member name in double quotes");
            }
            int nameAt = pos;
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value();
            if (members.containsKey(name)) {
                pos = nameAt;
                throw fail("duplicate member name " + JsonWriter.quote(abbreviate(name)));
            }
            members.put(name, value);
            skipWhitespace();
            if (pos >= n) {
                throw fail("unexpected end of input, expected ',' or '}'");
            }
            char c = s.charAt(pos++);
            if (c == '}') {
                depth--;
                return members;
            }
            if (c != ',') {
                pos--;
                throw fail("unexpected " + describe(c) + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++; // '['
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return items;
        }
        while (true) {
            skipWhitespace();
            items.add(value());
            skipWhitespace();
            if (pos >= n) {
                throw fail("unexpected end of input, expected ',' or ']'");
            }
            char c = s.charAt(pos++);
            if (c == ']') {
                depth--;
                return items;
            }
            if (c != ',') {
                pos--;
                throw fail("unexpected " + describe(c) + ", expected ',' or ']'");
            }
        }
    }

    private void enter() {
        if (++depth > maxDepth) {
            throw fail("nesting deeper than " + maxDepth + " levels");
        }
    }

    private String string() {
        pos++; // opening quote
        int start = pos;
        // Fast path: no escapes.
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == '"') {
                return s.substring(start, pos++);
            }
            if (c == '\\') {
                break;
            }
            if (c < 0x20) {
                throw fail("unescaped " + describe(c) + " in a string");
            }
            pos++;
        }
        StringBuilder out = new StringBuilder(pos - start + 16).append(s, start, pos);
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c < 0x20) {
                throw fail("unescaped " + describe(c) + " in a string");
            }
            if (c != '\\') {
                out.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= n) {
                break;
            }
            char e = s.charAt(pos + 1);
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    unicodeEscape(out);
                    continue;
                }
                default -> throw fail("invalid escape '\\" + printable(e) + "' in a string");
            }
            pos += 2;
        }
        throw fail("unexpected end of input inside a string");
    }

    /** At a backslash-u; appends the character(s) and moves past the escape(s). */
    private void unicodeEscape(StringBuilder out) {
        char high = hex4(pos + 2);
        if (Character.isLowSurrogate(high)) {
            throw fail("lone low surrogate escape \\u" + hexOf(high) + " in a string");
        }
        if (!Character.isHighSurrogate(high)) {
            out.append(high);
            pos += 6;
            return;
        }
        if (pos + 7 < n && s.charAt(pos + 6) == '\\' && s.charAt(pos + 7) == 'u') {
            char low = hex4(pos + 8);
            if (Character.isLowSurrogate(low)) {
                out.append(high).append(low);
                pos += 12;
                return;
            }
        }
        throw fail("lone high surrogate escape \\u" + hexOf(high) + " in a string");
    }

    private char hex4(int at) {
        if (at + 4 > n) {
            pos = Math.min(at, n);
            throw fail("unexpected end of input inside a \\u escape");
        }
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0 || s.charAt(i) > 'f') {
                pos = i;
                throw fail("invalid hex digit " + describe(s.charAt(i)) + " in a \\u escape");
            }
            v = (v << 4) | d;
        }
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        if (pos >= n || !isDigit(s.charAt(pos))) {
            throw fail("a number needs a digit after '-'");
        }
        if (s.charAt(pos) == '0') {
            pos++;
            if (pos < n && isDigit(s.charAt(pos))) {
                throw fail("leading zero in a number");
            }
        } else {
            digits();
        }
        boolean integral = true;
        if (pos < n && s.charAt(pos) == '.') {
            integral = false;
            pos++;
            if (pos >= n || !isDigit(s.charAt(pos))) {
                throw fail("a number needs a digit after '.'");
            }
            digits();
        }
        if (pos < n && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < n && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (pos >= n || !isDigit(s.charAt(pos))) {
                throw fail("a number needs a digit in its exponent");
            }
            digits();
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            pos = start;
            throw fail("number longer than " + MAX_NUMBER_CHARS + " characters");
        }
        String literal = s.substring(start, pos);
        if (integral && pos - start <= 18) {
            return Long.parseLong(literal);
        }
        BigDecimal big;
        try {
            big = new BigDecimal(literal);
        } catch (NumberFormatException e) {
            pos = start;
            throw fail("number out of range");
        }
        if (integral) {
            try {
                return big.longValueExact();
            } catch (ArithmeticException tooBigForLong) {
                return big;
            }
        }
        return big;
    }

    private void digits() {
        while (pos < n && isDigit(s.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!s.startsWith(word, pos)) {
            throw fail("unexpected " + describe(s.charAt(pos)) + ", expected a value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (pos >= n) {
            throw fail("unexpected end of input, expected '" + c + "'");
        }
        if (s.charAt(pos) != c) {
            throw fail("unexpected " + describe(s.charAt(pos)) + ", expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < n ? s.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < n) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private JsonException fail(String what) {
        return new JsonException(what + " at offset " + pos, pos);
    }

    private static String hexOf(char c) {
        return String.format("%04X", (int) c);
    }

    private static String describe(char c) {
        return "character '" + printable(c) + "'";
    }

    private static String printable(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return String.valueOf(c);
        }
        return "\\u" + hexOf(c);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
