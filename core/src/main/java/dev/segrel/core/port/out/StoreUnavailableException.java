package dev.segrel.core.port.out;

/** The task store could not be reached or failed mid-call. Transient. Never carries credentials. */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
