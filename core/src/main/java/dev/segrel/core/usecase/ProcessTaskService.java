package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.InvalidGraphDataException;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskClaims.ClaimedTask;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskClaims.ClaimRequest;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.core.port.out.Tracing.TraceSpan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Claims, computes and stores tasks as sets: one claim statement and one completion transaction
 * for a whole set (a batch message's segments, or the single-segment messages of one receive),
 * whatever its size, in parts no larger than the {@link ResultBudget}. Each task keeps its own
 * outcome: a fault of one is recorded for it alone.
 */
final class ProcessTaskService implements ProcessTask {

    private static final Logger log = LoggerFactory.getLogger(ProcessTaskService.class);

    private final TaskClaims claims;
    private final TaskCompletions completions;
    private final AlignmentGraphs graphs;
    /** By graph (few: one per configured environment), not by the messages' names of them. */
    private final Map<AlignmentGraph, FindRelatedSegments> relations = new ConcurrentHashMap<>();
    private final MessageTasks creation;
    private final RetryPolicy retry;
    private final Duration leaseFor;
    private final Clock clock;
    private final RandomGenerator random;
    private final ResultBudget budget;
    private final ChunkedRun chunkedRun;
    private final Map<TaskKey, Lease> held = new ConcurrentHashMap<>();
    private final Map<AlignmentGraph, RecentlySeen> knownManifestations = new ConcurrentHashMap<>();
    private final Tracing tracing;
    private final SpanlessTasks spanless;

    ProcessTaskService(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs, RetryPolicy retry,
            Duration leaseFor, Clock clock, RandomGenerator random, int maxResultsInMemory, Tracing tracing) {
        this(claims, completions, graphs, retry, leaseFor, clock, random, maxResultsInMemory,
                new ResultBytes(ResultBytes.defaultFor(Runtime.getRuntime().maxMemory())), tracing);
    }

    ProcessTaskService(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs, RetryPolicy retry,
            Duration leaseFor, Clock clock, RandomGenerator random, int maxResultsInMemory, ResultBytes resultBytes,
            Tracing tracing) {
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.claims = requireNonNull(claims, "claims is null");
        this.completions = requireNonNull(completions, "completions is null");
        this.graphs = requireNonNull(graphs, "graphs is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.leaseFor = requireNonNull(leaseFor, "leaseFor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.budget = new ResultBudget(maxResultsInMemory);
        this.chunkedRun = new ChunkedRun(completions, retry, leaseFor, clock, random, tracing,
                requireNonNull(resultBytes, "resultBytes is null"), this::compute);
        this.creation = new MessageTasks(claims, new SegmentCatalog(graphs, clock), this::transientBeforeClaim);
        this.spanless = new SpanlessTasks(claims, completions, graphs, retry, leaseFor, random);
    }

    @Override
    public Outcome process(Command command) {
        return processAll(List.of(command)).get(0);
    }

    @Override
    public List<Outcome> processAll(List<Command> commands) {
        requireNonNull(commands, "commands is null");
        Outcome[] outcomes = new Outcome[commands.size()];
        int part = budget.size();
        for (int from = 0; from < commands.size(); from += part) {
            int to = Math.min(commands.size(), from + part);
            try {
                if (!budget.acquire(to - from)) {
                    // stopping: not started, so nothing is claimed; the messages are visible again at once
                    for (int i = from; i < commands.size(); i++) {
                        outcomes[i] = new RetryLater(commands.get(i).key(), Duration.ZERO, 0,
                                "worker stopping: not started");
                    }
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                for (int i = from; i < commands.size(); i++) {
                    outcomes[i] = transientBeforeClaim(commands.get(i).key(), "worker stopping");
                }
                break;
            }
            try {
                processPart(commands.subList(from, to), outcomes, from);
            } finally {
                budget.release(to - from);
            }
        }
        return Arrays.asList(outcomes);
    }

    /** One part of a set, its outcomes into {@code outcomes} from {@code offset}, in one span ({@link SetTrace}). */
    private void processPart(List<Command> part, Outcome[] outcomes, int offset) {
        String job = commonJob(part);
        if (job != null) {
            MDC.put("job_id", job);
        }
        try (TraceSpan span = SetTrace.process(tracing, part, job)) {
            Instant now = clock.instant();
            Map<String, String> graphDown = new HashMap<>();
            List<ClaimRequest> requests = new ArrayList<>(part.size());
            for (Command command : part) {
                requests.add(new ClaimRequest(command.key(), command.spanHint(), creation.createFor(command, graphDown)));
            }
            List<ClaimResult> claimed;
            try (TraceSpan claim = tracing.start("claim")) {
                claim.attribute("segrel.tasks", part.size());
                try {
                    claimed = claimAll(part, requests, now);
                } catch (StoreUnavailableException e) {
                    claim.error("store unavailable");
                    for (int i = 0; i < part.size(); i++) {
                        outcomes[offset + i] = transientBeforeClaim(part.get(i).key(),
                                "store unavailable: " + e.getMessage());
                    }
                    return;
                }
                claim.attribute("segrel.claimed", SetTrace.claimed(claimed));
            }
            List<Integer> running = new ArrayList<>();
            List<ClaimedTask> tasks = new ArrayList<>();
            List<String> environments = new ArrayList<>();
            List<TraceContext> taskTraces = new ArrayList<>();
            SpanlessTasks.SpansRead spansRead = new SpanlessTasks.SpansRead();
            for (int i = 0; i < part.size(); i++) {
                ClaimResult result = claimed.get(i);
                if (result instanceof TaskClaims.NoSpan) {
                    SpanlessTasks.Settled settled = spanless.settle(part.get(i), now, spansRead);
                    if (settled.outcome() != null) {
                        outcomes[offset + i] = settled.outcome();
                        continue;
                    }
                    result = settled.claim();
                }
                if (result instanceof TaskClaims.Claimed c) {
                    running.add(i);
                    tasks.add(c.task());
                    environments.add(part.get(i).environment());
                    taskTraces.add(part.get(i).trace());
                } else {
                    outcomes[offset + i] = notClaimed(part.get(i), requests.get(i), result, now, graphDown);
                }
            }
            if (!tasks.isEmpty()) {
                List<Outcome> ran = run(tasks, environments, taskTraces, span.context());
                for (int j = 0; j < running.size(); j++) {
                    outcomes[offset + running.get(j)] = ran.get(j);
                }
            }
        } finally {
            MDC.remove("job_id");
        }
    }

    /** The set's claim: one call per owner (a worker's sets have one). */
    private List<ClaimResult> claimAll(List<Command> part, List<ClaimRequest> requests, Instant now) {
        String owner = part.get(0).owner();
        boolean oneOwner = part.stream().allMatch(c -> c.owner().equals(owner));
        if (oneOwner) {
            return claims.claimAll(requests, owner, now, leaseFor);
        }
        List<ClaimResult> results = new ArrayList<>(part.size());
        for (int i = 0; i < part.size(); i++) {
            results.add(claims.claimAll(List.of(requests.get(i)), part.get(i).owner(), now, leaseFor).get(0));
        }
        return results;
    }

    private Outcome notClaimed(Command command, ClaimRequest request, ClaimResult claim, Instant now,
            Map<String, String> graphDown) {
        TaskKey key = command.key();
        return switch (claim) {
            case TaskClaims.Claimed claimed -> throw new IllegalStateException("claimed: " + key);
            case TaskClaims.AlreadyCompleted done -> new AlreadyDone(key, "task already completed");
            // refused, not a no-op: the message of a FAILED task goes to the dead-letter queue, also when it
            // comes back because moving it there failed, or with a batch whose other segments retried
            case TaskClaims.Exhausted failed -> new Rejected(key,
                    "task already failed after " + failed.attempts() + " attempts: " + failed.error());
            case TaskClaims.HeldByOther other -> new RetryLater(key, untilPlusJitter(other.until(), now), 0,
                    "held by " + other.owner() + " until " + other.until());
            case TaskClaims.NoSpan noSpan -> new Rejected(key,
                    "task has no span: neither the stored task nor the message gives start and end");
            case TaskClaims.UnknownTask unknown -> creation.unknown(command, request, now, graphDown);
        };
    }

    /**
     * Computes and stores a set's claimed tasks ({@link ChunkedRun}), their leases held for the heartbeat
     * meanwhile; {@code traces} are the tasks' messages' and {@code set} the set span's.
     */
    private List<Outcome> run(List<ClaimedTask> tasks, List<String> environments, List<TraceContext> traces,
            TraceContext set) {
        for (ClaimedTask task : tasks) {
            held.put(task.lease().key(), task.lease());
        }
        try {
            return chunkedRun.run(tasks, environments, traces, set);
        } finally {
            for (ClaimedTask task : tasks) {
                held.remove(task.lease().key());
            }
        }
    }

    /** The task's result, or its failure: never throws, so that one task's fault stays its own. */
    private Ending compute(ClaimedTask task, String environment) {
        Lease lease = task.lease();
        TaskKey key = lease.key();
        SetLog.starting(key, task.attempt());
        if (task.attempt() > retry.maxAttempts()) {
            // a task whose holders keep dying (lease expired each time) has used its attempts too
            return Ending.failure(lease, "attempts used up (" + (task.attempt() - 1) + " of " + retry.maxAttempts()
                    + "); the last holder's lease expired", true);
        }
        try {
            AlignmentGraph graph = graphs.graph(environment);
            if (!manifestationExists(graph, task.manifestationId())) {
                return Ending.failure(lease, "manifestation " + task.manifestationId() + " is not in the graph"
                        + MessageTasks.environmentNote(environment), true);
            }
            return Ending.success(lease, relations.computeIfAbsent(graph, FindRelatedSegmentsService::new).mappings(
                    new FindRelatedSegments.Query(task.manifestationId(), task.span(), RelationMode.SEGMENTATION)));
        } catch (GraphUnavailableException e) {
            return Ending.failure(lease, Secrets.redact("graph unavailable: " + e.getMessage()), false);
        } catch (InvalidGraphDataException e) {
            // bad data does not heal by retrying: failed at once, for good, with what to mend
            log.warn("Segment {} of job {} fails for good: {}", key.segmentId(), key.jobId(), e.getMessage());
            return Ending.failure(lease, Secrets.redact(e.getMessage()), true);
        } catch (RuntimeException e) {
            log.warn("Unexpected error computing segment {} for job {}", key.segmentId(), key.jobId(), e);
            return Ending.failure(lease, Secrets.redact("unexpected error: " + e), false);
        }
    }

    private static String commonJob(List<Command> part) {
        String job = part.get(0).key().jobId().toString();
        for (Command c : part) {
            if (!c.key().jobId().toString().equals(job)) {
                return null;
            }
        }
        return job;
    }

    private boolean manifestationExists(AlignmentGraph graph, String manifestationId) {
        Instant now = clock.instant();
        RecentlySeen known = knownManifestations.computeIfAbsent(graph,
                g -> new RecentlySeen(RecentlySeen.DEFAULT_CAPACITY, Duration.ofMinutes(5)));
        if (known.contains(manifestationId, now)) {
            return true;
        }
        boolean exists = graph.manifestationExists(manifestationId);
        if (exists) {
            known.add(manifestationId, now);
        }
        return exists;
    }

    /** Manifestations remembered as existing, over every graph (tests of the bound). */
    int knownManifestationCount() {
        return knownManifestations.values().stream().mapToInt(RecentlySeen::size).sum();
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
        List<Lease> leases = List.copyOf(held.values());
        if (leases.isEmpty()) {
            return 0;
        }
        try {
            List<Lease> extended = claims.extendAll(leases, now.plus(leaseFor));
            for (Lease lease : extended) {
                held.computeIfPresent(lease.key(), (k, old) -> old.token() == lease.token() ? lease : old);
            }
            return extended.size();
        } catch (StoreUnavailableException e) {
            log.warn("Could not extend {} leases: {}", leases.size(), Secrets.redact(String.valueOf(e.getMessage())));
            return 0;
        }
    }

    @Override
    public void stopWaiting() {
        budget.stop();
    }

    @Override
    public int releaseAll(Instant now) {
        List<Lease> leases = List.copyOf(held.values());
        held.clear();
        if (leases.isEmpty()) {
            return 0;
        }
        try {
            return claims.releaseAll(leases, now);
        } catch (StoreUnavailableException e) {
            log.warn("Could not release {} leases (they will expire): {}", leases.size(),
                    Secrets.redact(String.valueOf(e.getMessage())));
            return 0;
        }
    }
}
