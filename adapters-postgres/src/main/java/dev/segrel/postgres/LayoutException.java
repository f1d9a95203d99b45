package dev.segrel.postgres;

/**
 * The database's tables cannot be adopted as they are: they match none of the {@link TableLayout}s, or
 * more than one, or disagree with {@code SEGREL_TABLE_LAYOUT} or the layout segrel recorded, or hold rows
 * segrel refuses to guess about (duplicate tasks). Nothing was changed. The message is one line that says
 * what was found and what to do; it never holds a secret. Not transient: running again gives the same
 * answer until someone acts.
 */
public final class LayoutException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public LayoutException(String message) {
        super(message);
    }
}
