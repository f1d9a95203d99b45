package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.ResultTooLargeException;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskClaims.ClaimedTask;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskCompletions.CompleteResult;
import dev.segrel.core.port.out.TaskCompletions.FailResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

final class ProcessTaskService implements ProcessTask {

    private static final Logger log = LoggerFactory.getLogger(ProcessTaskService.class);

    private final TaskClaims claims;
    private final TaskCompletions completions;
    private final AlignmentGraphs graphs;
    /** By graph (few: one per configured environment), not by the messages' names of them. */
    private final Map<AlignmentGraph, FindRelatedSegments> relations = new ConcurrentHashMap<>();
    private final SegmentCatalog catalog;
    private final RetryPolicy retry;
    private final Duration leaseFor;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<TaskKey, Lease> held = new ConcurrentHashMap<>();
    private final Map<AlignmentGraph, Map<String, Instant>> knownManifestations = new ConcurrentHashMap<>();

    ProcessTaskService(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs, RetryPolicy retry,
            Duration leaseFor, Clock clock, RandomGenerator random) {
        this.claims = requireNonNull(claims, "claims is null");
        this.completions = requireNonNull(completions, "completions is null");
        this.graphs = requireNonNull(graphs, "graphs is null");
        this.catalog = new SegmentCatalog(graphs, clock);
        this.retry = requireNonNull(retry, "retry is null");
        this.leaseFor = requireNonNull(leaseFor, "leaseFor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public Outcome process(Command command) {
        TaskKey key = command.key();
        MDC.put("job_id", key.jobId().toString());
        MDC.put("segment_id", key.segmentId());
        try {
            return claimAndRun(command);
        } finally {
            MDC.remove("attempt");
            MDC.remove("segment_id");
            MDC.remove("job_id");
        }
    }

    @Override
    public List<Outcome> processAll(List<Command> commands) {
        return commands.stream().map(this::process).toList();
    }

    private Outcome claimAndRun(Command command) {
        TaskKey key = command.key();
        Instant now = clock.instant();
        ClaimResult claim;
        try {
            claim = claims.claim(key, command.spanHint(), command.owner(), now, leaseFor);
        } catch (StoreUnavailableException e) {
            return transientBeforeClaim(key, "store unavailable: " + e.getMessage());
        }
        if (claim instanceof TaskClaims.UnknownTask && command.spanHint() != null && command.manifestationId() != null) {
            Outcome refused = create(command, now);
            if (refused != null) {
                return refused;
            }
            try {
                claim = claims.claim(key, command.spanHint(), command.owner(), now, leaseFor);
            } catch (StoreUnavailableException e) {
                return transientBeforeClaim(key, "store unavailable: " + e.getMessage());
            }
        }
        String environment = command.environment();
        return switch (claim) {
            case TaskClaims.Claimed claimed -> run(claimed.task(), environment);
            case TaskClaims.AlreadyCompleted done -> new AlreadyDone(key, "task already completed");
            case TaskClaims.Exhausted failed -> new AlreadyDone(key,
                    "task already failed after " + failed.attempts() + " attempts: " + failed.error());
            case TaskClaims.HeldByOther other -> new RetryLater(key, untilPlusJitter(other.until(), now), 0,
                    "held by " + other.owner() + " until " + other.until());
            case TaskClaims.UnknownTask unknown -> new Rejected(key, "unknown task: no segment " + key.segmentId()
                    + " in job " + key.jobId());
            case TaskClaims.NoSpan noSpan -> new Rejected(key,
                    "task has no span: neither the stored task nor the message gives start and end");
        };
    }

    /**
     * Makes the missing task of a job that exists, when the segment is one of the manifestation's in
     * the graph; null when made (or made by another worker), else why not.
     */
    private Outcome create(Command command, Instant now) {
        TaskKey key = command.key();
        try {
            if (!catalog.contains(command.environment(), command.manifestationId(), key.segmentId())) {
                return new Rejected(key, "unknown task: segment " + key.segmentId() + " is not a segment of "
                        + command.manifestationId() + " in the graph" + environmentNote(command.environment())
                        + "; no task made");
            }
        } catch (GraphUnavailableException e) {
            return transientBeforeClaim(key, "graph unavailable: " + e.getMessage());
        }
        TaskClaims.Creation creation;
        try {
            creation = claims.create(key, command.manifestationId(), command.spanHint(), now);
        } catch (StoreUnavailableException e) {
            return transientBeforeClaim(key, "store unavailable: " + e.getMessage());
        }
        return switch (creation) {
            case MADE, EXISTED -> null;
            case UNKNOWN_JOB -> new Rejected(key, "unknown job: no job " + key.jobId());
            case OTHER_MANIFESTATION -> new Rejected(key, "job " + key.jobId() + " is not a job of "
                    + command.manifestationId());
        };
    }

    private static String environmentNote(String environment) {
        return environment == null ? "" : " of environment " + environment;
    }

    private Outcome run(ClaimedTask task, String environment) {
        Lease lease = task.lease();
        TaskKey key = lease.key();
        MDC.put("attempt", Integer.toString(task.attempt()));
        held.put(key, lease);
        try {
            log.info("Processing segment {} for job {} (attempt {})", key.segmentId(), key.jobId(), task.attempt());
            if (task.attempt() > retry.maxAttempts()) {
                // a task whose holders keep dying (lease expired each time) has used its attempts too
                return failFor(task, "attempts used up (" + (task.attempt() - 1) + " of " + retry.maxAttempts()
                        + "); the last holder's lease expired", true);
            }
            List<Mapping> mappings;
            try {
                AlignmentGraph graph = graphs.graph(environment);
                if (!manifestationExists(graph, task.manifestationId())) {
                    return failFor(task, "manifestation " + task.manifestationId() + " is not in the graph"
                            + environmentNote(environment), true);
                }
                mappings = relations.computeIfAbsent(graph, FindRelatedSegmentsService::new).mappings(
                        new FindRelatedSegments.Query(task.manifestationId(), task.span(), RelationMode.SEGMENTATION));
            } catch (GraphUnavailableException e) {
                return failFor(task, "graph unavailable: " + e.getMessage(), false);
            }
            Lease current = held.getOrDefault(key, lease);
            CompleteResult result;
            try {
                result = completions.complete(current, mappings, clock.instant());
            } catch (ResultTooLargeException e) {
                return failFor(task, e.getMessage(), true);
            } catch (StoreUnavailableException e) {
                return failFor(task, "store unavailable: " + e.getMessage(), false);
            }
            return switch (result) {
                case TaskCompletions.Completed completed -> {
                    log.info("Completed segment {} for job {}: {} mappings", key.segmentId(), key.jobId(), mappings.size());
                    yield new Done(key, task.attempt(), mappings.size(), completed.jobFinished());
                }
                case TaskCompletions.LeaseLost lost -> new RetryLater(key, leaseFor, task.attempt(),
                        "lease lost before the result was stored; another worker has the task");
            };
        } finally {
            held.remove(key);
        }
    }

    private boolean manifestationExists(AlignmentGraph graph, String manifestationId) {
        Instant now = clock.instant();
        Map<String, Instant> known = knownManifestations.computeIfAbsent(graph, g -> new ConcurrentHashMap<>());
        Instant checked = known.get(manifestationId);
        if (checked != null && checked.isAfter(now.minus(Duration.ofMinutes(5)))) {
            return true;
        }
        boolean exists = graph.manifestationExists(manifestationId);
        if (exists) {
            known.put(manifestationId, now);
        }
        return exists;
    }

    private Outcome failFor(ClaimedTask task, String error, boolean permanent) {
        TaskKey key = task.lease().key();
        String reason = Secrets.redact(error);
        Lease lease = held.getOrDefault(key, task.lease());
        FailResult result;
        try {
            result = completions.fail(lease, reason, permanent, retry.maxAttempts(), clock.instant());
        } catch (StoreUnavailableException e) {
            // the lease will expire and the message come back; nothing was written
            return new RetryLater(key, retry.backoff(task.attempt(), random), task.attempt(),
                    reason + "; and store unavailable: " + e.getMessage());
        }
        return switch (result) {
            case TaskCompletions.WillRetry retrying -> {
                Duration after = retry.backoff(retrying.attempts(), random);
                log.warn("Segment {} for job {} failed (attempt {} of {}), retrying in {} ms: {}", key.segmentId(),
                        key.jobId(), retrying.attempts(), retry.maxAttempts(), after.toMillis(), reason);
                yield new RetryLater(key, after, retrying.attempts(), reason);
            }
            case TaskCompletions.FailedForGood failed -> {
                log.error("Segment {} for job {} FAILED after {} attempts: {}", key.segmentId(), key.jobId(),
                        failed.attempts(), reason);
                yield new Failed(key, failed.attempts(), reason, failed.jobFinished());
            }
            case TaskCompletions.LeaseLost lost -> new RetryLater(key, leaseFor, task.attempt(),
                    reason + "; lease lost before the failure was recorded");
        };
    }

    private RetryLater transientBeforeClaim(TaskKey key, String reason) {
        return new RetryLater(key, retry.backoff(1, random), 0, Secrets.redact(reason));
    }

    private Duration untilPlusJitter(Instant until, Instant now) {
        Duration wait = Duration.between(now, until);
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return wait.plusMillis(random.nextLong(250, 1_250));
    }

    @Override
    public int extendLeases(Instant now) {
        int extended = 0;
        for (Map.Entry<TaskKey, Lease> entry : held.entrySet()) {
            Lease lease = entry.getValue();
            Instant newExpiry = now.plus(leaseFor);
            try {
                if (claims.extend(lease, newExpiry)) {
                    held.replace(entry.getKey(), lease, lease.extendedTo(newExpiry));
                    extended++;
                }
            } catch (StoreUnavailableException e) {
                log.warn("Could not extend the lease of {}: {}", entry.getKey(), e.getMessage());
            }
        }
        return extended;
    }

    @Override
    public int releaseAll(Instant now) {
        int released = 0;
        for (Lease lease : held.values()) {
            try {
                if (claims.release(lease, now)) {
                    released++;
                }
            } catch (StoreUnavailableException e) {
                log.warn("Could not release {} (its lease will expire): {}", lease.key(), e.getMessage());
            }
        }
        held.clear();
        return released;
    }
}
