package dev.segrel.core.json;

/**
 * A text is not acceptable JSON: malformed, too deep or too large. The message is one line and
 * says what is wrong and at which character offset; it quotes at most a few characters of the input.
 */
public final class JsonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    public JsonException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** Offset (in chars) of the problem in the input, or -1 when it concerns the whole input. */
    public int offset() {
        return offset;
    }
}
