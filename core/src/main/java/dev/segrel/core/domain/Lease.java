package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A lease on one task, held by {@code owner} until {@code expiresAt}. The {@code token} fences
 * writes: it changes with every claim, so a holder whose lease was taken over can never write.
 */
public record Lease(UUID taskId, TaskKey key, String owner, long token, Instant expiresAt) {

    public Lease {
        requireNonNull(taskId, "taskId is null");
        requireNonNull(key, "key is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    /** The same lease, expiring at {@code newExpiry}. */
    public Lease extendedTo(Instant newExpiry) {
        return new Lease(taskId, key, owner, token, newExpiry);
    }
}
