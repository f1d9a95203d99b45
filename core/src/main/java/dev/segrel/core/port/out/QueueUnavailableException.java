package dev.segrel.core.port.out;

/**
 * The task queue could not be reached, refused the call (throttling, a purge in progress) or
 * failed mid-call. Transient: the same call may succeed later. The message never carries
 * credentials.
 */
public class QueueUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public QueueUnavailableException(String message) {
        super(message);
    }
}
