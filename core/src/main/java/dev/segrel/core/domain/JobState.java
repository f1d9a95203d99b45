package dev.segrel.core.domain;

/** {@code root_job.status}, names kept from the existing service. */
public enum JobState {
    QUEUED,
    IN_PROGRESS,
    COMPLETED,
    FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
