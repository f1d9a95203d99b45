package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.TaskClaims.SpanlessTask;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link dev.segrel.core.port.out.TaskClaims#claimWithoutSpan}: the claim of {@link PostgresTaskClaims}
 * narrowed to a row that has no span, so that only a task nothing can compute is taken to be failed.
 */
final class SpanlessClaim {

    /** Claimable as in {@link PostgresTaskClaims#CLAIM_ALL}, and span-less under the row's lock. */
    static final String CLAIM = """
            UPDATE segment_task t
            SET status = 'IN_PROGRESS', lease_owner = :owner, lease_expires_at = :expires,
                lease_token = t.lease_token + 1,
                attempts = CASE WHEN t.segrel_run < j.segrel_run THEN 1 ELSE t.attempts + 1 END,
                error_message = CASE WHEN t.segrel_run < j.segrel_run THEN NULL ELSE t.error_message END,
                segrel_run = j.segrel_run, updated_at = :now
            FROM root_job j
            WHERE t.job_id = :job AND t.segment_id = :segment AND j.job_id = t.job_id AND t.span_start IS NULL
              AND (t.status IN ('QUEUED', 'RETRYING')
                   OR (t.status = 'IN_PROGRESS' AND (t.lease_expires_at IS NULL OR t.lease_expires_at <= :now))
                   OR (t.status IN ('COMPLETED', 'FAILED') AND t.segrel_run < j.segrel_run))
            RETURNING t.task_id, t.lease_token, t.attempts, j.manifestation_id""";

    private final Jdbi jdbi;

    SpanlessClaim(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    Optional<SpanlessTask> claim(TaskKey key, String owner, Instant now, Duration leaseFor) {
        requireNonNull(key, "key is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(now, "now is null");
        Instant expires = now.plus(requireNonNull(leaseFor, "leaseFor is null"));
        try {
            return jdbi.withHandle(h -> h.createQuery(CLAIM)
                    .bind("job", key.jobId().value())
                    .bind("segment", key.segmentId())
                    .bind("owner", owner)
                    .bind("expires", at(expires))
                    .bind("now", at(now))
                    .map((rs, ctx) -> new SpanlessTask(
                            new Lease(rs.getObject("task_id", UUID.class), key, owner, rs.getLong("lease_token"), expires),
                            rs.getString("manifestation_id"),
                            rs.getInt("attempts")))
                    .findOne());
        } catch (JdbiException e) {
            throw Failures.translate(e, "claiming span-less task " + key);
        }
    }
}
