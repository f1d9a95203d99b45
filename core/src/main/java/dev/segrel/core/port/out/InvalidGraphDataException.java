package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.InvalidSegment;

/**
 * The search reached a segment the graph stores with an invalid span. Permanent: the same question
 * gets the same answer until someone mends the graph, so callers fail the task at once instead of
 * retrying it. The message names the segment and its manifestation and never holds credentials.
 */
public class InvalidGraphDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient InvalidSegment segment;

    public InvalidGraphDataException(InvalidSegment segment) {
        super("invalid graph data: " + requireNonNull(segment, "segment is null").describe());
        this.segment = segment;
    }

    /** The segment reached. */
    public InvalidSegment segment() {
        return segment;
    }
}
