package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

/** A task of a new job; {@code span} may be null when the producer gives it in the message only. */
public record NewTask(String segmentId, Span span) {
    public NewTask {
        requireNonNull(segmentId, "segmentId is null");
    }
}
