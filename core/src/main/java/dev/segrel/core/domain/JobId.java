package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** Identifies a job ({@code root_job.job_id}). */
public record JobId(UUID value) {

    public JobId {
        requireNonNull(value, "value is null");
    }

    public static JobId random() {
        return new JobId(UUID.randomUUID());
    }

    /** Parses a UUID; the message names the text that is not one. */
    public static JobId parse(String text) {
        requireNonNull(text, "job id is null");
        try {
            return new JobId(UUID.fromString(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job id must be a UUID, was '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
