package dev.segrel.cli;

/**
 * Ends a command with one line on stderr and the given exit code. Thrown where a command cannot go
 * on (bad input, missing file); the message must be safe to show (no secrets) and fit on one line.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
