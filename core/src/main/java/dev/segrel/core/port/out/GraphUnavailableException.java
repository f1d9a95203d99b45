package dev.segrel.core.port.out;

/**
 * The alignment graph could not be reached or did not answer in time. Transient: the same call may
 * succeed later. The message never contains credentials.
 */
public class GraphUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GraphUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public GraphUnavailableException(String message) {
        super(message);
    }
}
