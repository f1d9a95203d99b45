package dev.segrel.devstack.neo4j;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns large list literals of a Cypher statement into parameters.
 *
 * <p>Why: Neo4j plans a statement in time that grows faster than linearly with the size of its
 * literals (measured on 2026.08: an {@code UNWIND} of 3,000 small maps took 4–16 s to run, 20,000
 * took 155 s), while the same rows as a parameter take milliseconds. Exported scripts are full of
 * such statements. The values are the same either way, so the statement means the same.
 *
 * <p>Only a list made purely of literals (numbers, strings, booleans, null, lists and maps of
 * those) that follows {@code UNWIND}, {@code WITH}, {@code IN}, {@code RETURN}, {@code ,},
 * {@code =}, {@code :} or {@code (} is replaced; anything else is left as it is.
 */
final class CypherLiterals {

    /** A statement and the parameters it now needs. */
    record Parameterised(String cypher, Map<String, Object> params) {
        Parameterised {
            requireNonNull(cypher, "cypher is null");
            requireNonNull(params, "params is null");
        }
    }

    private static final Set<String> KEYWORDS_BEFORE = Set.of("UNWIND", "WITH", "IN", "RETURN");
    private static final String PREFIX = "__segrel_literal_";

    private CypherLiterals() {}

    /** The statement with every list literal of at least {@code minChars} characters made a parameter. */
    static Parameterised parameterise(String statement, int minChars) {
        requireNonNull(statement, "statement is null");
        if (statement.length() < minChars || statement.indexOf('[') < 0) {
            return new Parameterised(statement, Map.of());
        }
        StringBuilder out = new StringBuilder(statement.length());
        Map<String, Object> params = new LinkedHashMap<>();
        int i = 0;
        int n = statement.length();
        while (i < n) {
            char c = statement.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = skipQuoted(statement, i);
                out.append(statement, i, end);
                i = end;
            } else if (c == '[' && listMayStartHere(out)) {
                Parser parser = new Parser(statement, i);
                Object value = parser.listOrNull();
                if (value != null && parser.pos - i >= minChars) {
                    String name = PREFIX + params.size();
                    params.put(name, value);
                    out.append('$').append(name);
                    i = parser.pos;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return new Parameterised(params.isEmpty() ? statement : out.toString(), params);
    }

    private static boolean listMayStartHere(CharSequence before) {
        int j = before.length() - 1;
        while (j >= 0 && Character.isWhitespace(before.charAt(j))) {
            j--;
        }
        if (j < 0) {
            return false;
        }
        char p = before.charAt(j);
        if (p == ',' || p == '=' || p == ':' || p == '(') {
            return true;
        }
        int end = j + 1;
        while (j >= 0 && Character.isLetter(before.charAt(j))) {
            j--;
        }
        if (j >= 0 && (Character.isLetterOrDigit(before.charAt(j)) || before.charAt(j) == '_')) {
            return false;
        }
        return KEYWORDS_BEFORE.contains(before.subSequence(j + 1, end).toString().toUpperCase(Locale.ROOT));
    }

    private static int skipQuoted(String s, int start) {
        char quote = s.charAt(start);
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (quote != '`' && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (quote == '`' && i + 1 < s.length() && s.charAt(i + 1) == '`') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    /** Recursive descent over literals; any surprise means "not a pure literal" (null). */
    private static final class Parser {
        private static final Object FAIL = new Object();
        private static final Object NULL = new Object();

        private final String s;
        int pos;

        Parser(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        Object listOrNull() {
            Object v = value();
            return v == FAIL || !(v instanceof List<?>) ? null : v;
        }

        private Object value() {
            skipWs();
            if (pos >= s.length()) {
                return FAIL;
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '[' -> list();
                case '{' -> map();
                case '\'', '"' -> string();
                default -> c == '-' || Character.isDigit(c) ? number() : word();
            };
        }

        private Object list() {
            pos++;
            List<Object> out = new ArrayList<>();
            skipWs();
            if (peek() == ']') {
                pos++;
                return out;
            }
            while (true) {
                Object v = value();
                if (v == FAIL) {
                    return FAIL;
                }
                out.add(v == NULL ? null : v);
                skipWs();
                char c = peek();
                pos++;
                if (c == ']') {
                    return out;
                }
                if (c != ',') {
                    return FAIL;
                }
            }
        }

        private Object map() {
            pos++;
            Map<String, Object> out = new LinkedHashMap<>();
            skipWs();
            if (peek() == '}') {
                pos++;
                return out;
            }
            while (true) {
                skipWs();
                String key = key();
                skipWs();
                if (key == null || peek() != ':') {
                    return FAIL;
                }
                pos++;
                Object v = value();
                if (v == FAIL) {
                    return FAIL;
                }
                out.put(key, v == NULL ? null : v);
                skipWs();
                char c = peek();
                pos++;
                if (c == '}') {
                    return out;
                }
                if (c != ',') {
                    return FAIL;
                }
            }
        }

        private String key() {
            if (peek() == '`') {
                StringBuilder b = new StringBuilder();
                pos++;
                while (pos < s.length()) {
                    char c = s.charAt(pos++);
                    if (c == '`') {
                        if (peek() == '`') {
                            b.append('`');
                            pos++;
                        } else {
                            return b.toString();
                        }
                    } else {
                        b.append(c);
                    }
                }
                return null;
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            return pos > start && !Character.isDigit(s.charAt(start)) ? s.substring(start, pos) : null;
        }

        private Object string() {
            char quote = s.charAt(pos++);
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == quote) {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    return FAIL;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '\\', '\'', '"' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            return FAIL;
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            return FAIL;
                        }
                        pos += 4;
                    }
                    default -> {
                        return FAIL;
                    }
                }
            }
            return FAIL;
        }

        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            int digits = pos;
            while (Character.isDigit(peek())) {
                pos++;
            }
            if (pos == digits) {
                return FAIL;
            }
            boolean decimal = false;
            if (peek() == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                decimal = true;
                pos++;
                while (Character.isDigit(peek())) {
                    pos++;
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                decimal = true;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                int exp = pos;
                while (Character.isDigit(peek())) {
                    pos++;
                }
                if (pos == exp) {
                    return FAIL;
                }
            }
            if (Character.isLetterOrDigit(peek()) || peek() == '_') {
                return FAIL; // 0x1F, 1_000, 12abc: leave such literals to Cypher
            }
            String text = s.substring(start, pos);
            try {
                return decimal ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
            } catch (NumberFormatException e) {
                return FAIL;
            }
        }

        private Object word() {
            int start = pos;
            while (Character.isLetter(peek())) {
                pos++;
            }
            if (Character.isDigit(peek()) || peek() == '_') {
                return FAIL;
            }
            return switch (s.substring(start, pos).toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> NULL;
                default -> FAIL;
            };
        }

        private void skipWs() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }
    }
}
