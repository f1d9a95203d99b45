package dev.segrel.devstack.neo4j;

/**
 * Told how far a Cypher file load has got: after every statement, and once more at the end.
 * Called on the loading thread; keep it cheap.
 */
@FunctionalInterface
public interface LoadProgress {

    /** Reports nothing. */
    LoadProgress NONE = (bytesRead, totalBytes, statementsRun) -> {};

    /**
     * @param bytesRead bytes of the file consumed so far (read ahead by a buffer, so approximate
     *     until the final call, where it equals {@code totalBytes})
     * @param totalBytes the file's size
     * @param statementsRun statements executed so far
     */
    void update(long bytesRead, long totalBytes, long statementsRun);
}
