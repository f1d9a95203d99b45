package dev.segrel.core.domain;

/** {@code segment_task.status}, names kept from the existing service. */
public enum TaskState {
    QUEUED,
    IN_PROGRESS,
    COMPLETED,
    RETRYING,
    FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
