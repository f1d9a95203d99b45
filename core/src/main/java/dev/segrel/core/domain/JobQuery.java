package dev.segrel.core.domain;

/**
 * Which jobs a listing returns.
 *
 * @param state only jobs in this state, or null for any
 * @param manifestationId only jobs of this manifestation, or null for any
 * @param limit at most this many (the newest first)
 */
public record JobQuery(JobState state, String manifestationId, int limit) {
    public JobQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
    }

    public static JobQuery all(int limit) {
        return new JobQuery(null, null, limit);
    }
}
