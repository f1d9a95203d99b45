package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.core.port.in.ProcessTask.Failed;
import dev.segrel.core.port.in.ProcessTask.Outcome;
import dev.segrel.core.port.in.ProcessTask.RetryLater;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskClaims.SpanlessTask;
import dev.segrel.core.port.out.TaskCompletions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a task claimed without a span (its row has none and its message gives none): the
 * graph is asked for the segment's span; a span found is stored by claiming the task with it, and a
 * segment the graph (answering) does not have fails the task for good, so that its job can finish.
 * A graph that cannot be asked is a transient fault: the task comes back later, unchanged.
 */
final class SpanlessTasks {

    private static final Logger log = LoggerFactory.getLogger(SpanlessTasks.class);

    /** Exactly one of {@code claim} (go on as with any claim) and {@code outcome} (the task's answer). */
    record Settled(ClaimResult claim, Outcome outcome) {
        Settled {
            if ((claim == null) == (outcome == null)) {
                throw new IllegalArgumentException("exactly one of claim and outcome, was " + claim + ", " + outcome);
            }
        }
    }

    private final TaskClaims claims;
    private final TaskCompletions completions;
    private final AlignmentGraphs graphs;
    private final RetryPolicy retry;
    private final Duration leaseFor;
    private final RandomGenerator random;

    SpanlessTasks(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs, RetryPolicy retry,
            Duration leaseFor, RandomGenerator random) {
        this.claims = requireNonNull(claims, "claims is null");
        this.completions = requireNonNull(completions, "completions is null");
        this.graphs = requireNonNull(graphs, "graphs is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.leaseFor = requireNonNull(leaseFor, "leaseFor is null");
        this.random = requireNonNull(random, "random is null");
    }

    /**
     * The spans read for one set of tasks, by environment (null: the default graph) and manifestation:
     * a set's span-less tasks of one text read its segments once, not once each.
     */
    static final class SpansRead {
        private record Text(String environment, String manifestation) {}

        private final Map<Text, Map<String, Span>> read = new HashMap<>();

        /** The manifestation's spans in that environment's graph, read on first asking; a failed read is not kept. */
        Map<String, Span> of(AlignmentGraphs graphs, String environment, String manifestation) {
            return read.computeIfAbsent(new Text(environment, manifestation),
                    t -> GraphSpans.of(graphs.graph(environment), manifestation));
        }
    }

    /** Settles {@code command}, whose claim found no span; {@code spans} holds what its set read already. */
    Settled settle(Command command, Instant now, SpansRead spans) {
        TaskKey key = command.key();
        try {
            Optional<SpanlessTask> held = claims.claimWithoutSpan(key, command.owner(), now, leaseFor);
            if (held.isEmpty()) {
                // changed since (a span stored, a holder came): its claim now says what it is
                return new Settled(claims.claim(key, null, command.owner(), now, leaseFor), null);
            }
            SpanlessTask task = held.get();
            Span span;
            try {
                span = spans.of(graphs, command.environment(), task.manifestationId()).get(key.segmentId());
            } catch (GraphUnavailableException e) {
                claims.release(task.lease(), now);
                return later(key, "graph unavailable while looking for the span: " + e.getMessage());
            } catch (RuntimeException e) {
                // not a definite answer either: the task must not fail for a fault of the lookup
                claims.release(task.lease(), now);
                log.warn("Looking up the span of segment {} of job {} failed", key.segmentId(), key.jobId(), e);
                return later(key, "span lookup failed: " + e);
            }
            if (span != null) {
                claims.release(task.lease(), now);
                return new Settled(claims.claim(key, span, command.owner(), now, leaseFor), null);
            }
            String reason = GraphSpans.noSpanReason(key.segmentId(), task.manifestationId());
            return new Settled(null, switch (completions.fail(task.lease(), reason, true, retry.maxAttempts(), now)) {
                case TaskCompletions.FailedForGood failed -> new Failed(key, failed.attempts(), reason, failed.jobFinished());
                case TaskCompletions.WillRetry retrying -> new RetryLater(key, retry.backoff(retrying.attempts(), random),
                        retrying.attempts(), reason);
                case TaskCompletions.LeaseLost lost -> new RetryLater(key, leaseFor, task.attempt(),
                        reason + "; lease lost before the failure was recorded");
            });
        } catch (StoreUnavailableException e) {
            return later(key, "store unavailable: " + e.getMessage());
        }
    }

    private Settled later(TaskKey key, String reason) {
        return new Settled(null, new RetryLater(key, retry.backoff(1, random), 0, Secrets.redact(reason)));
    }
}
