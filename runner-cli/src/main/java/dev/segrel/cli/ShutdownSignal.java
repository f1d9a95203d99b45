package dev.segrel.cli;

/** What long-running commands ({@code dev up}) wait for before they stop. Injected so tests can stop them. */
@FunctionalInterface
public interface ShutdownSignal {

    /** Blocks until the process is asked to stop. */
    void await() throws InterruptedException;
}
