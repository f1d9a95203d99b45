package dev.segrel.cli;

/** What long-running commands ({@code dev up}) wait for before they stop. Injected so tests can stop them. */
@FunctionalInterface
public interface ShutdownSignal {

    /** Blocks until the process is asked to stop. */
    void await() throws InterruptedException;

    /**
     * Starts catching the stop request now, for a command that starts something before it waits (the
     * worker): a request that comes during the start is kept for {@link #await()}. By default, nothing.
     */
    default void catchNow() {}
}
