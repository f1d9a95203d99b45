package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static dev.segrel.postgres.TaskTables.FENCE;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.TaskClaims;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link TaskClaims} on {@code segment_task}: a claim is one statement (one round trip); a claim that
 * does not succeed takes a second read to say why. Every claim increments {@code lease_token}, which
 * fences the writes of an earlier holder.
 */
public final class PostgresTaskClaims implements TaskClaims {

    static final String CLAIM = """
            UPDATE segment_task t
            SET status = 'IN_PROGRESS',
                lease_owner = :owner,
                lease_expires_at = :expires,
                lease_token = t.lease_token + 1,
                attempts = t.attempts + 1,
                span_start = COALESCE(t.span_start, CAST(:hintStart AS integer)),
                span_end = COALESCE(t.span_end, CAST(:hintEnd AS integer)),
                updated_at = :now
            FROM root_job j
            WHERE t.job_id = :job AND t.segment_id = :segment AND j.job_id = t.job_id
              AND (t.status IN ('QUEUED', 'RETRYING')
                   OR (t.status = 'IN_PROGRESS' AND (t.lease_expires_at IS NULL OR t.lease_expires_at <= :now)))
              AND (t.span_start IS NOT NULL OR CAST(:hintStart AS integer) IS NOT NULL)
            RETURNING t.task_id, t.lease_token, t.attempts, t.span_start, t.span_end, j.manifestation_id""";

    static final String INSPECT = """
            SELECT t.status::text AS status, t.lease_owner, t.lease_expires_at, t.attempts, t.error_message,
                   t.span_start, j.job_id IS NOT NULL AS has_job
            FROM segment_task t LEFT JOIN root_job j ON j.job_id = t.job_id
            WHERE t.job_id = :job AND t.segment_id = :segment""";

    private final Jdbi jdbi;

    PostgresTaskClaims(TaskTables tables) {
        this.jdbi = requireNonNull(tables, "tables is null").jdbi();
    }

    @Override
    public ClaimResult claim(TaskKey key, Span spanHint, String owner, Instant now, Duration leaseFor) {
        requireNonNull(key, "key is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(now, "now is null");
        requireNonNull(leaseFor, "leaseFor is null");
        if (leaseFor.isNegative() || leaseFor.isZero()) {
            throw new IllegalArgumentException("leaseFor must be positive, was " + leaseFor);
        }
        Instant expires = now.plus(leaseFor);
        try {
            return jdbi.withHandle(h -> {
                // A task that turns claimable between the update and the read is claimed on the next turn.
                for (int turn = 0; turn < 3; turn++) {
                    Optional<ClaimedTask> claimed = h.createQuery(CLAIM)
                            .bind("owner", owner)
                            .bind("expires", at(expires))
                            .bind("hintStart", spanHint == null ? null : spanHint.start())
                            .bind("hintEnd", spanHint == null ? null : spanHint.end())
                            .bind("now", at(now))
                            .bind("job", key.jobId().value())
                            .bind("segment", key.segmentId())
                            .map((rs, ctx) -> new ClaimedTask(
                                    new Lease(rs.getObject("task_id", UUID.class), key, owner, rs.getLong("lease_token"), expires),
                                    rs.getString("manifestation_id"),
                                    new Span(rs.getInt("span_start"), rs.getInt("span_end")),
                                    rs.getInt("attempts")))
                            .findOne();
                    if (claimed.isPresent()) {
                        return new Claimed(claimed.get());
                    }
                    Optional<ClaimResult> refusal = whyNot(h, key, spanHint, now);
                    if (refusal.isPresent()) {
                        return refusal.get();
                    }
                }
                return new HeldByOther(key, "unknown", now);
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "claiming task " + key);
        }
    }

    private static Optional<ClaimResult> whyNot(Handle h, TaskKey key, Span spanHint, Instant now) {
        return h.createQuery(INSPECT)
                .bind("job", key.jobId().value())
                .bind("segment", key.segmentId())
                .map((rs, ctx) -> {
                    if (!rs.getBoolean("has_job")) {
                        return Optional.<ClaimResult>of(new UnknownTask(key));
                    }
                    String status = rs.getString("status");
                    OffsetDateTime until = rs.getObject("lease_expires_at", OffsetDateTime.class);
                    boolean noSpan = rs.getObject("span_start") == null && spanHint == null;
                    return switch (TaskState.valueOf(status)) {
                        case COMPLETED -> Optional.<ClaimResult>of(new AlreadyCompleted(key));
                        case FAILED -> Optional.<ClaimResult>of(
                                new Exhausted(key, rs.getInt("attempts"), rs.getString("error_message")));
                        case IN_PROGRESS -> until != null && until.toInstant().isAfter(now)
                                ? Optional.<ClaimResult>of(new HeldByOther(key, rs.getString("lease_owner"), until.toInstant()))
                                : noSpan ? Optional.<ClaimResult>of(new NoSpan(key)) : Optional.<ClaimResult>empty();
                        case QUEUED, RETRYING -> noSpan ? Optional.<ClaimResult>of(new NoSpan(key)) : Optional.<ClaimResult>empty();
                    };
                })
                .findOne()
                .orElseGet(() -> Optional.of(new UnknownTask(key)));
    }

    /** TEMPORARY placeholder until the PostgreSQL work lands (branch layouts-pg); drop on merge. */
    @Override
    public Creation create(TaskKey key, String manifestationId, Span span, Instant now) {
        throw new UnsupportedOperationException("TaskClaims.create is not implemented in PostgreSQL yet");
    }

    @Override
    public boolean extend(Lease lease, Instant newExpiry) {
        requireNonNull(newExpiry, "newExpiry is null");
        return fencedUpdate("UPDATE segment_task SET lease_expires_at = :expires WHERE " + FENCE, lease, newExpiry,
                "extending the lease on " + lease.key());
    }

    @Override
    public boolean release(Lease lease, Instant now) {
        return fencedUpdate("""
                UPDATE segment_task
                SET status = 'QUEUED', attempts = GREATEST(attempts - 1, 0), lease_owner = NULL,
                    lease_expires_at = NULL, updated_at = :expires
                WHERE""" + " " + FENCE, lease, now, "releasing " + lease.key());
    }

    private boolean fencedUpdate(String sql, Lease lease, Instant time, String doing) {
        requireNonNull(lease, "lease is null");
        requireNonNull(time, "time is null");
        try {
            return jdbi.withHandle(h -> h.createUpdate(sql)
                    .bind("expires", at(time))
                    .bind("task", lease.taskId())
                    .bind("token", lease.token())
                    .bind("owner", lease.owner())
                    .execute()) == 1;
        } catch (JdbiException e) {
            throw Failures.translate(e, doing);
        }
    }
}
