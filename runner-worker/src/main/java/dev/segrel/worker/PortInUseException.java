package dev.segrel.worker;

/**
 * The worker cannot listen on its HTTP port ({@code SEGREL_HTTP_PORT}): another process holds it,
 * or the address cannot be bound. A dependency fault of the start-up, exit code 4.
 */
public final class PortInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int port;

    PortInUseException(int port, Throwable cause) {
        super("cannot listen on SEGREL_HTTP_PORT " + port + " (" + cause.getMessage()
                + "): set SEGREL_HTTP_PORT to a free port, 0 for any free one, -1 for no HTTP endpoints", cause);
        this.port = port;
    }

    /** The port that could not be bound. */
    public int port() {
        return port;
    }
}
