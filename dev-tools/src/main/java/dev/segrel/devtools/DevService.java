package dev.segrel.devtools;

import java.util.SequencedMap;

/**
 * One server that {@code segrel dev up} runs in process, and the environment a shell needs to use
 * it. Adding a server to {@code dev up} means writing one of these and one line in
 * {@link DevUpCommand#services}.
 */
public interface DevService extends AutoCloseable {

    /** A short name for messages, e.g. {@code Neo4j}. */
    String name();

    /** The variables to export, in order, e.g. {@code NEO4J_URI=bolt://127.0.0.1:7687}. */
    SequencedMap<String, String> environment();

    /** Stops the server and deletes its files. Idempotent; never throws. */
    @Override
    void close();

    /** Starts a service; called in the order {@code dev up} lists them. */
    @FunctionalInterface
    interface Starter {
        DevService start();
    }
}
