package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskClaims.SpanlessTask;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskCompletions.FailResult;
import dev.segrel.core.port.out.TaskRecovery.PendingTask;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails for good, as the sweeper finds them, the tasks that have no span in their row and none in
 * the graph, so that their jobs can finish: no message can ever give them one (their own was lost).
 */
final class SpanlessFailures {

    /** The sweeper's name in the short lease it takes to fail a task. */
    static final String OWNER = "segrel-sweeper";

    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(SpanlessFailures.class);

    private final TaskClaims claims;
    private final TaskCompletions completions;

    SpanlessFailures(TaskClaims claims, TaskCompletions completions) {
        this.claims = requireNonNull(claims, "claims is null");
        this.completions = requireNonNull(completions, "completions is null");
    }

    /** True when {@code task} is now FAILED; false when it changed meanwhile (it got a span, or a holder). */
    boolean fail(PendingTask task, Instant now) {
        Optional<SpanlessTask> held = claims.claimWithoutSpan(task.key(), OWNER, now, LEASE);
        if (held.isEmpty()) {
            return false;
        }
        String reason = GraphSpans.noSpanReason(task.key().segmentId(), held.get().manifestationId());
        FailResult result = completions.fail(held.get().lease(), reason, true, held.get().attempt(), now);
        boolean failed = result instanceof TaskCompletions.FailedForGood;
        if (failed) {
            log.warn("Task {} of job {} FAILED: {}", task.key().segmentId(), task.key().jobId(), reason);
        }
        return failed;
    }
}
