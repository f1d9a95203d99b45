package dev.segrel.devstack.neo4j;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Splits a script of Cypher statements separated by {@code ;}, streaming: only the statement being
 * read is held in memory, so files of any size work and a single statement may be megabytes long.
 *
 * <p>A {@code ;} inside a {@code '…'} or {@code "…"} string (with backslash escapes), a
 * {@code `…`} name (with {@code ``} escapes), a {@code // …} line comment or a {@code /* … *}{@code /}
 * block comment does not end a statement. Comments are dropped. Lines that start with {@code :}
 * where a statement would begin (cypher-shell commands such as {@code :begin}) are skipped. Blank
 * statements are skipped; the last statement need not end with {@code ;}.
 */
public final class CypherScript implements Iterator<String> {

    private enum State { CODE, SINGLE, DOUBLE, BACKTICK, LINE_COMMENT, BLOCK_COMMENT, CLIENT_COMMAND }

    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private int pos;
    private int limit;
    private boolean eof;
    private String next;
    private final StringBuilder current = new StringBuilder();

    public CypherScript(Reader in) {
        this.in = requireNonNull(in, "reader is null");
    }

    /** Every statement of a script held in a string. */
    public static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        new CypherScript(new java.io.StringReader(script)).forEachRemaining(out::add);
        return out;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = readStatement();
        }
        return next != null;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String s = next;
        next = null;
        return s;
    }

    private String readStatement() {
        State state = State.CODE;
        current.setLength(0);
        int c;
        while ((c = read()) >= 0) {
            char ch = (char) c;
            switch (state) {
                case CODE -> {
                    if (ch == ';') {
                        String statement = current.toString().strip();
                        current.setLength(0);
                        if (!statement.isEmpty()) {
                            return statement;
                        }
                    } else if (ch == ':' && current.isEmpty()) {
                        state = State.CLIENT_COMMAND;
                    } else if (ch == '/' && peek() == '/') {
                        read();
                        state = State.LINE_COMMENT;
                    } else if (ch == '/' && peek() == '*') {
                        read();
                        state = State.BLOCK_COMMENT;
                    } else {
                        if (ch == '\'') {
                            state = State.SINGLE;
                        } else if (ch == '"') {
                            state = State.DOUBLE;
                        } else if (ch == '`') {
                            state = State.BACKTICK;
                        }
                        if (!current.isEmpty() || !Character.isWhitespace(ch)) {
                            current.append(ch);
                        }
                    }
                }
                case SINGLE, DOUBLE -> {
                    current.append(ch);
                    if (ch == '\\') {
                        int escaped = read();
                        if (escaped >= 0) {
                            current.append((char) escaped);
                        }
                    } else if (ch == (state == State.SINGLE ? '\'' : '"')) {
                        state = State.CODE;
                    }
                }
                case BACKTICK -> {
                    current.append(ch);
                    if (ch == '`') {
                        if (peek() == '`') {
                            current.append((char) read());
                        } else {
                            state = State.CODE;
                        }
                    }
                }
                case LINE_COMMENT, CLIENT_COMMAND -> {
                    if (ch == '\n' || ch == '\r') {
                        if (!current.isEmpty()) {
                            current.append('\n');
                        }
                        state = State.CODE;
                    }
                }
                case BLOCK_COMMENT -> {
                    if (ch == '*' && peek() == '/') {
                        read();
                        if (!current.isEmpty()) {
                            current.append(' ');
                        }
                        state = State.CODE;
                    }
                }
            }
        }
        if (state == State.SINGLE || state == State.DOUBLE || state == State.BACKTICK) {
            throw new IllegalArgumentException("script ends inside an unterminated "
                    + (state == State.BACKTICK ? "`name`" : "string") + ": " + abbreviate(current));
        }
        String statement = current.toString().strip();
        current.setLength(0);
        return statement.isEmpty() ? null : statement;
    }

    private static String abbreviate(CharSequence s) {
        return s.length() <= 80 ? s.toString() : s.subSequence(0, 80) + "…";
    }

    private int read() {
        if (!fill()) {
            return -1;
        }
        return buffer[pos++];
    }

    private int peek() {
        if (!fill()) {
            return -1;
        }
        return buffer[pos];
    }

    private boolean fill() {
        if (pos < limit) {
            return true;
        }
        if (eof) {
            return false;
        }
        try {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                eof = true;
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Cypher script", e);
        }
    }
}
