package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Claims on tasks: a claim is a lease, extended by a heartbeat while the task runs and given back at
 * shutdown. A task is processed only by the holder of a live lease; a holder that dies loses it
 * when it expires, and the next claim takes the task over (with a new fencing token).
 *
 * <p><b>Time.</b> Callers pass {@code now}; implementations never read a clock of their own, so
 * leases and expiry are testable without waiting.
 *
 * <p><b>Threads.</b> Safe for concurrent use by many threads and many processes sharing one
 * database: of two claims racing for one task exactly one gets it.
 *
 * <p><b>Errors.</b> Expected outcomes are values ({@link ClaimResult}). An unreachable database
 * throws {@link StoreUnavailableException} (transient); nothing was written then.
 */
public interface TaskClaims {

    /**
     * What the claimant needs to process the task.
     *
     * @param manifestationId the job's manifestation
     * @param span the task's span: the stored one, else the hint given to {@link #claim}
     * @param attempt this claim's attempt number, 1 for the first
     * @param takeover true when the claim took the task from a holder whose lease had expired (the
     *     holder died or stalled): an operator counts these
     */
    record ClaimedTask(Lease lease, String manifestationId, Span span, int attempt, boolean takeover) {
        public ClaimedTask {
            requireNonNull(lease, "lease is null");
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(span, "span is null");
        }

        /** A claim of a task nobody held. */
        public ClaimedTask(Lease lease, String manifestationId, Span span, int attempt) {
            this(lease, manifestationId, span, attempt, false);
        }
    }

    sealed interface ClaimResult permits Claimed, AlreadyCompleted, HeldByOther, Exhausted, UnknownTask, NoSpan {}

    /** The caller now holds the lease. */
    record Claimed(ClaimedTask task) implements ClaimResult {}

    /** The task is COMPLETED: acknowledge the message as a no-op. */
    record AlreadyCompleted(TaskKey key) implements ClaimResult {}

    /** Another worker holds a live lease until {@code until}: retry after it. */
    record HeldByOther(TaskKey key, String owner, Instant until) implements ClaimResult {}

    /** The task is FAILED for good (attempts used up or a deterministic error). */
    record Exhausted(TaskKey key, int attempts, String error) implements ClaimResult {}

    /** No such task (or no such job). */
    record UnknownTask(TaskKey key) implements ClaimResult {}

    /** The task has no stored span and the caller gave none. */
    record NoSpan(TaskKey key) implements ClaimResult {}

    /**
     * Claims the task as a lease of length {@code leaseFor}: succeeds from QUEUED or RETRYING, or
     * from IN_PROGRESS whose lease expired before {@code now}. Increments the attempt count. One
     * round trip.
     *
     * @param spanHint the span from the message, used (and stored) when the row has none; may be null
     */
    ClaimResult claim(TaskKey key, Span spanHint, String owner, Instant now, Duration leaseFor);

    /** What {@link #create} did. */
    enum Creation {
        /** The task was made, QUEUED, with the given span. */
        MADE,
        /** The task existed already (perhaps made by a racing worker): nothing changed. */
        EXISTED,
        /** No such job: nothing was made. */
        UNKNOWN_JOB,
        /** The job is of another manifestation than the one given: nothing was made. */
        OTHER_MANIFESTATION
    }

    /**
     * Makes the task of a job that exists but has no row for the segment (the deployed producer
     * inserts no per-segment rows): QUEUED, with {@code span}, counted in its job when it ends.
     * Idempotent on the job and segment id and race-safe: of two workers making one task, one
     * makes it and the other is told it {@link Creation#EXISTED}. One round trip.
     */
    Creation create(TaskKey key, String manifestationId, Span span, Instant now);

    /**
     * A task held without a span, only to fail it for good ({@link #claimWithoutSpan}).
     *
     * @param manifestationId the job's manifestation, where the caller looks for the segment
     * @param attempt this claim's attempt number
     */
    record SpanlessTask(Lease lease, String manifestationId, int attempt) {
        public SpanlessTask {
            requireNonNull(lease, "lease is null");
            requireNonNull(manifestationId, "manifestationId is null");
        }
    }

    /**
     * Claims, as {@link #claim} would, a task that has no stored span, so that a caller who found no
     * span for it anywhere (its row, its message, the graph) can fail it for good through
     * {@link TaskCompletions#fail} and its job can finish. Empty when the task is missing, has a span
     * now (a racing claim stored one), or is not claimable (held by a live lease, or ended in the
     * job's current run). One round trip; the lease fences as any claim's does.
     */
    Optional<SpanlessTask> claimWithoutSpan(TaskKey key, String owner, Instant now, Duration leaseFor);

    /** Extends a held lease (heartbeat). False when the lease is no longer held by its owner. */
    boolean extend(Lease lease, Instant newExpiry);

    /** Gives the task back (QUEUED, lease cleared) without counting the attempt. False when no longer held. */
    boolean release(Lease lease, Instant now);

    /**
     * One task of a set claim ({@link #claimAll}).
     *
     * @param spanHint the span from the message, as for {@link #claim}; may be null
     * @param createFor the manifestation to make the task for when it is missing (a batch message's
     *     {@code text_id}, its segment known to be one of that text's): as {@link #create} with
     *     {@code spanHint}; null to claim only a task that exists
     */
    record ClaimRequest(TaskKey key, Span spanHint, String createFor) {
        public ClaimRequest {
            requireNonNull(key, "key is null");
            if (createFor != null && spanHint == null) {
                throw new IllegalArgumentException("a task made by a claim needs a span: " + key);
            }
        }
    }

    /**
     * Claims every task of {@code requests} as {@link #claim} does, first making each missing one
     * whose request names {@link ClaimRequest#createFor} (as {@link #create}: nothing is made for a job
     * that does not exist or is of another manifestation, and those are {@link UnknownTask}). One
     * result per request, in order; a key given twice is claimed once and the repeat is
     * {@link HeldByOther} (by {@code owner}). A handful of round trips whatever the size of the set:
     * implementations make and claim in one statement and say why not for the rest in one more. Of two
     * workers claiming overlapping sets, no task is {@link Claimed} by both.
     *
     * <p>The default claims one by one (in-memory stores).
     */
    default List<ClaimResult> claimAll(List<ClaimRequest> requests, String owner, Instant now, Duration leaseFor) {
        List<ClaimResult> results = new ArrayList<>(requests.size());
        Set<TaskKey> seen = new HashSet<>();
        for (ClaimRequest request : requests) {
            if (!seen.add(request.key())) {
                results.add(new HeldByOther(request.key(), owner, now.plus(leaseFor)));
                continue;
            }
            ClaimResult result = claim(request.key(), request.spanHint(), owner, now, leaseFor);
            if (result instanceof UnknownTask && request.createFor() != null
                    && create(request.key(), request.createFor(), request.spanHint(), now) != Creation.UNKNOWN_JOB) {
                result = claim(request.key(), request.spanHint(), owner, now, leaseFor);
            }
            results.add(result);
        }
        return results;
    }

    /**
     * Extends every lease of {@code leases} still held by its owner to {@code newExpiry} (heartbeat),
     * in one statement whatever their number; returns those extended, with their new expiry.
     *
     * <p>The default extends one by one (in-memory stores).
     */
    default List<Lease> extendAll(Collection<Lease> leases, Instant newExpiry) {
        List<Lease> extended = new ArrayList<>(leases.size());
        for (Lease lease : leases) {
            if (extend(lease, newExpiry)) {
                extended.add(lease.extendedTo(newExpiry));
            }
        }
        return extended;
    }

    /**
     * Gives back every lease of {@code leases} still held (as {@link #release}), in one statement;
     * returns how many were given back.
     *
     * <p>The default releases one by one (in-memory stores).
     */
    default int releaseAll(Collection<Lease> leases, Instant now) {
        int released = 0;
        for (Lease lease : leases) {
            if (release(lease, now)) {
                released++;
            }
        }
        return released;
    }
}
