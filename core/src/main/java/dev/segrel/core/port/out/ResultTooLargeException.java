package dev.segrel.core.port.out;

/** A task's result does not fit where results are stored. Deterministic: retrying will not help. */
public class ResultTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResultTooLargeException(String message) {
        super(message);
    }
}
