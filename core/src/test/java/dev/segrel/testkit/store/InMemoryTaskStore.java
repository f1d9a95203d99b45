package dev.segrel.testkit.store;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.message.BatchCompletion;
import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.port.out.TaskRecovery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The task store's ports in memory, over one state, writing completion messages to an
 * {@link InMemoryOutbox}. Trusted because it passes testkit's contract suite of every one of
 * them. Thread-safe (one lock).
 */
public final class InMemoryTaskStore implements TaskClaims, TaskCompletions, Jobs, TaskRecovery, TaskReads, Batches,
        Backlog {

    private static final class Job {
        final JobId id;
        final String manifestationId;
        int total;
        int run;
        boolean batched;
        /** By run, then batch key. */
        final Map<Integer, Map<String, BatchState>> batches = new HashMap<>();
        final Instant createdAt;
        JobState state;
        int completed;
        int failed;
        Instant updatedAt;
        final Map<String, Task> tasks = new LinkedHashMap<>();

        Job(JobId id, String manifestationId, int total, Instant now) {
            this.id = id;
            this.manifestationId = manifestationId;
            this.total = total;
            this.createdAt = now;
            this.updatedAt = now;
            this.state = JobState.QUEUED;
        }
    }

    private static final class BatchState {
        final Batch batch;
        int remaining;
        int failed;

        BatchState(Batch batch, int remaining, int failed) {
            this.batch = batch;
            this.remaining = remaining;
            this.failed = failed;
        }
    }

    private static final class Task {
        final UUID id = UUID.randomUUID();
        final String segmentId;
        int run;
        Span span;
        TaskState state = TaskState.QUEUED;
        int attempts;
        String owner;
        Instant expiresAt;
        long token;
        List<Mapping> result = List.of();
        String error;
        Instant updatedAt;

        Task(String segmentId, Span span, Instant now) {
            this.segmentId = segmentId;
            this.span = span;
            this.updatedAt = now;
        }
    }

    private final InMemoryOutbox outbox;
    private final Map<JobId, Job> jobs = new HashMap<>();

    public InMemoryTaskStore(InMemoryOutbox outbox) {
        this.outbox = requireNonNull(outbox, "outbox is null");
    }

    public InMemoryOutbox outbox() {
        return outbox;
    }

    @Override
    public synchronized ClaimResult claim(TaskKey key, Span spanHint, String owner, Instant now, Duration leaseFor) {
        requireNonNull(owner, "owner is null");
        Job job = jobs.get(key.jobId());
        Task task = job == null ? null : job.tasks.get(key.segmentId());
        if (task == null) {
            return new UnknownTask(key);
        }
        boolean stale = task.run < job.run;
        switch (stale && task.state != TaskState.IN_PROGRESS ? TaskState.QUEUED : task.state) {
            case COMPLETED:
                return new AlreadyCompleted(key);
            case FAILED:
                return new Exhausted(key, task.attempts, task.error);
            case IN_PROGRESS:
                if (task.expiresAt != null && task.expiresAt.isAfter(now)) {
                    return new HeldByOther(key, task.owner, task.expiresAt);
                }
                break;
            default:
                break;
        }
        if (task.span == null && spanHint == null) {
            return new NoSpan(key);
        }
        if (task.span == null) {
            task.span = spanHint;
        }
        boolean takeover = task.state == TaskState.IN_PROGRESS;
        takeLease(job, task, owner, now, leaseFor, stale);
        return new Claimed(new ClaimedTask(
                new Lease(task.id, key, owner, task.token, task.expiresAt), job.manifestationId, task.span, task.attempts,
                takeover));
    }

    @Override
    public synchronized Optional<SpanlessTask> claimWithoutSpan(TaskKey key, String owner, Instant now,
            Duration leaseFor) {
        requireNonNull(owner, "owner is null");
        Job job = jobs.get(key.jobId());
        Task task = job == null ? null : job.tasks.get(key.segmentId());
        if (task == null || task.span != null) {
            return Optional.empty();
        }
        boolean stale = task.run < job.run;
        boolean claimable = switch (task.state) {
            case QUEUED, RETRYING -> true;
            case IN_PROGRESS -> task.expiresAt == null || !task.expiresAt.isAfter(now);
            case COMPLETED, FAILED -> stale;
        };
        if (!claimable) {
            return Optional.empty();
        }
        takeLease(job, task, owner, now, leaseFor, stale);
        return Optional.of(new SpanlessTask(new Lease(task.id, key, owner, task.token, task.expiresAt),
                job.manifestationId, task.attempts));
    }

    /** The claim itself: a new lease for {@code owner}, the attempt counted (from zero in a new run). */
    private static void takeLease(Job job, Task task, String owner, Instant now, Duration leaseFor, boolean stale) {
        task.state = TaskState.IN_PROGRESS;
        task.owner = owner;
        task.expiresAt = now.plus(leaseFor);
        task.token++;
        if (stale) {
            task.attempts = 0;
            task.error = null;
        }
        task.attempts++;
        task.run = job.run;
        task.updatedAt = now;
    }

    private Task held(Lease lease) {
        Job job = jobs.get(lease.key().jobId());
        Task task = job == null ? null : job.tasks.get(lease.key().segmentId());
        boolean holds = task != null
                && task.state == TaskState.IN_PROGRESS
                && task.id.equals(lease.taskId())
                && task.token == lease.token()
                && lease.owner().equals(task.owner);
        return holds ? task : null;
    }

    @Override
    public synchronized boolean extend(Lease lease, Instant newExpiry) {
        Task task = held(lease);
        if (task != null) {
            task.expiresAt = newExpiry;
        }
        return task != null;
    }

    @Override
    public synchronized boolean release(Lease lease, Instant now) {
        Task task = held(lease);
        if (task != null) {
            task.state = TaskState.QUEUED;
            task.attempts = Math.max(0, task.attempts - 1);
            task.owner = null;
            task.expiresAt = null;
            task.updatedAt = now;
        }
        return task != null;
    }

    @Override
    public synchronized List<EndResult> endAll(List<Ending> endings, int maxAttempts, Instant now) {
        List<EndResult> results = new ArrayList<>(endings.size());
        for (Ending one : endings) {
            // the outbox row an ending adds continues its trace, as the database's does
            ending = one.trace();
            try {
                results.addAll(TaskCompletions.super.endAll(List.of(one), maxAttempts, now));
            } finally {
                ending = null;
            }
        }
        return results;
    }

    /** The trace of the ending under way in {@link #endAll}, for the outbox rows it adds; guarded by this. */
    private TraceContext ending;

    @Override
    public synchronized CompleteResult complete(Lease lease, List<Mapping> result, Instant now) {
        requireNonNull(result, "result is null");
        Task task = held(lease);
        if (task == null) {
            return new LeaseLost(lease.key());
        }
        Job job = jobs.get(lease.key().jobId());
        task.state = TaskState.COMPLETED;
        task.result = List.copyOf(result);
        task.error = null;
        task.owner = null;
        task.expiresAt = null;
        task.updatedAt = now;
        if (task.run != job.run) {
            return new Completed(lease.key(), false, job.state);
        }
        job.completed++;
        countInBatches(job, task.segmentId, false, now);
        boolean finished = settle(job, now);
        return new Completed(lease.key(), finished, job.state);
    }

    @Override
    public synchronized FailResult fail(Lease lease, String error, boolean permanent, int maxAttempts, Instant now) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        Task task = held(lease);
        if (task == null) {
            return new LeaseLost(lease.key());
        }
        task.error = error == null ? "unknown error" : error;
        task.owner = null;
        task.expiresAt = null;
        task.updatedAt = now;
        if (!permanent && task.attempts < maxAttempts) {
            task.state = TaskState.RETRYING;
            return new WillRetry(lease.key(), task.attempts);
        }
        Job job = jobs.get(lease.key().jobId());
        task.state = TaskState.FAILED;
        if (task.run != job.run) {
            return new FailedForGood(lease.key(), task.attempts, false, job.state);
        }
        job.failed++;
        countInBatches(job, task.segmentId, true, now);
        boolean finished = settle(job, now);
        return new FailedForGood(lease.key(), task.attempts, finished, job.state);
    }

    /** Moves the job's state after a task became terminal; true when that finished the job. */
    private boolean settle(Job job, Instant now) {
        job.updatedAt = now;
        boolean done = job.completed + job.failed >= job.total;
        job.state = done ? (job.failed > 0 ? JobState.FAILED : JobState.COMPLETED) : JobState.IN_PROGRESS;
        boolean finished = job.completed + job.failed == job.total;
        if (finished && !job.batched) {
            announce(job, now);
        }
        return finished;
    }

    private void countInBatches(Job job, String segmentId, boolean failed, Instant now) {
        for (BatchState state : job.batches.getOrDefault(job.run, Map.of()).values()) {
            if (state.remaining > 0 && state.batch.segmentIds().contains(segmentId)) {
                state.remaining--;
                state.failed += failed ? 1 : 0;
                if (state.remaining == 0) {
                    announce(job, state, now);
                }
            }
        }
    }

    private void announce(Job job, BatchState state, Instant now) {
        if (state.batch.announced()) {
            int size = state.batch.segmentIds().size();
            outbox.announce(batchMessageId(job, state), "completed",
                    BatchCompletion.toJson(state.batch, job.total, job.run, size - state.failed, state.failed), ending,
                    now);
        }
    }

    private static String batchMessageId(Job job, BatchState state) {
        return "batch-completed:" + job.id + ":" + job.run + ":" + state.batch.key();
    }

    @Override
    public synchronized Registration register(Batch batch, Instant now) {
        requireNonNull(batch, "batch is null");
        Job job = jobs.get(batch.jobId());
        if (job == null) {
            return new UnknownJob(batch.jobId());
        }
        if (!job.manifestationId.equals(batch.manifestationId())) {
            return new OfAnotherManifestation(batch.jobId(), job.manifestationId);
        }
        job.batched |= batch.announced();
        Map<String, BatchState> ofRun = job.batches.computeIfAbsent(job.run, r -> new LinkedHashMap<>());
        BatchState seen = ofRun.get(batch.key());
        if (seen != null) {
            return new Registered(job.run, false, seen.remaining);
        }
        int done = 0;
        int failed = 0;
        for (String id : batch.segmentIds()) {
            Task task = job.tasks.get(id);
            if (task != null && task.run == job.run) {
                done += task.state == TaskState.COMPLETED ? 1 : 0;
                failed += task.state == TaskState.FAILED ? 1 : 0;
            }
        }
        BatchState state = new BatchState(batch, batch.segmentIds().size() - done - failed, failed);
        ofRun.put(batch.key(), state);
        if (state.remaining == 0) {
            announce(job, state, now);
        }
        return new Registered(job.run, true, state.remaining);
    }

    @Override
    public synchronized List<Batch> batchesOf(JobId jobId) {
        Job job = jobs.get(requireNonNull(jobId, "jobId is null"));
        if (job == null || job.batches.isEmpty()) {
            return List.of();
        }
        int last = job.batches.keySet().stream().max(Integer::compare).orElseThrow();
        return job.batches.get(last).values().stream()
                .map(b -> b.batch)
                .sorted(Comparator.comparing((Batch b) -> b.batchNumber() == null ? Integer.MAX_VALUE : b.batchNumber())
                        .thenComparing(Batch::key))
                .toList();
    }

    @Override
    public synchronized Creation create(TaskKey key, String manifestationId, Span span, Instant now) {
        requireNonNull(span, "span is null");
        Job job = jobs.get(key.jobId());
        if (job == null) {
            return Creation.UNKNOWN_JOB;
        }
        if (!job.manifestationId.equals(manifestationId)) {
            return Creation.OTHER_MANIFESTATION;
        }
        if (job.tasks.containsKey(key.segmentId())) {
            return Creation.EXISTED;
        }
        Task task = new Task(key.segmentId(), span, now);
        task.run = job.run;
        job.tasks.put(key.segmentId(), task);
        return Creation.MADE;
    }

    @Override
    public synchronized OptionalInt resetJob(JobId jobId, List<NewTask> tasks, Instant now) {
        Job job = jobs.get(requireNonNull(jobId, "jobId is null"));
        if (job == null) {
            return OptionalInt.empty();
        }
        resetToNewRun(job, now);
        Set<String> ids = new HashSet<>();
        for (NewTask t : tasks) {
            if (ids.add(t.segmentId())) {
                Task task = job.tasks.get(t.segmentId());
                if (task == null) {
                    task = new Task(t.segmentId(), t.span(), now);
                    task.run = job.run;
                    job.tasks.put(t.segmentId(), task);
                } else if (t.span() != null) {
                    task.span = t.span();
                }
            }
        }
        job.total = ids.size();
        return OptionalInt.of(job.run);
    }

    /** As the deployed (current) producer makes a job: its row only, QUEUED, with its total and no task rows. */
    public synchronized void insertByProducer(JobId jobId, String manifestationId, int total, Instant now) {
        jobs.put(jobId, new Job(jobId, manifestationId, total, now));
    }

    /**
     * As the deployed producer resets a job when its text is submitted again (and as the database's
     * reset trigger reacts): QUEUED, counts 0, and a new run unless nothing had started.
     */
    public synchronized void resetByProducer(JobId jobId, int total, Instant now) {
        Job job = jobs.get(jobId);
        resetToNewRun(job, now);
        job.total = total;
    }

    private static void resetToNewRun(Job job, Instant now) {
        if (job.state != JobState.QUEUED || job.completed > 0 || job.failed > 0) {
            job.run++;
        }
        job.state = JobState.QUEUED;
        job.completed = 0;
        job.failed = 0;
        job.updatedAt = now;
    }

    private void announce(Job job, Instant now) {
        String body = "{\"job_id\":\"" + job.id + "\",\"manifestation_id\":" + jsonString(job.manifestationId)
                + ",\"status\":\"" + job.state + "\",\"total_segments\":" + job.total
                + ",\"completed_segments\":" + job.completed + ",\"failed_segments\":" + job.failed + "}";
        outbox.announce("job-completed:" + job.id + (job.run == 0 ? "" : ":" + job.run), "completed", body, ending, now);
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public synchronized Snapshot snapshot() {
        long waiting = 0;
        Instant oldest = null;
        for (Job job : jobs.values()) {
            for (Task task : job.tasks.values()) {
                if (task.state == TaskState.QUEUED || task.state == TaskState.RETRYING) {
                    waiting++;
                    oldest = oldest == null || task.updatedAt.isBefore(oldest) ? task.updatedAt : oldest;
                }
            }
        }
        return new Snapshot(waiting, Optional.ofNullable(oldest), outbox.pending(), outbox.oldestPendingSince());
    }

    @Override
    public synchronized CreateJobResult createJob(NewJob newJob, Instant now) {
        Set<String> seen = new HashSet<>();
        for (NewTask task : newJob.tasks()) {
            if (!seen.add(task.segmentId())) {
                throw new IllegalArgumentException("job " + newJob.jobId() + " lists segment " + task.segmentId() + " twice");
            }
        }
        Job existing = jobs.get(newJob.jobId());
        if (existing != null) {
            return new JobAlreadyExists(newJob.jobId(), existing.tasks.size());
        }
        Job job = new Job(newJob.jobId(), newJob.manifestationId(), newJob.tasks().size(), now);
        for (NewTask task : newJob.tasks()) {
            job.tasks.put(task.segmentId(), new Task(task.segmentId(), task.span(), now));
        }
        jobs.put(job.id, job);
        if (newJob.tasks().isEmpty()) {
            job.state = JobState.COMPLETED;
            announce(job, now);
        }
        return new JobCreated(job.id, newJob.tasks().size());
    }

    @Override
    public synchronized Optional<JobStatus> jobStatus(JobId jobId) {
        Job job = jobs.get(jobId);
        if (job == null) {
            return Optional.empty();
        }
        return Optional.of(new JobStatus(job.id, job.manifestationId, job.state, job.total, job.completed, job.failed,
                count(job, TaskState.QUEUED), count(job, TaskState.IN_PROGRESS), count(job, TaskState.RETRYING),
                job.createdAt, job.updatedAt));
    }

    private static int count(Job job, TaskState state) {
        return (int) job.tasks.values().stream().filter(t -> t.state == state).count();
    }

    @Override
    public synchronized List<PendingTask> reclaimExpired(Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        List<PendingTask> out = new ArrayList<>();
        for (Job job : jobs.values()) {
            for (Task task : job.tasks.values()) {
                if (out.size() < limit && task.state == TaskState.IN_PROGRESS
                        && (task.expiresAt == null || !task.expiresAt.isAfter(now))) {
                    task.state = TaskState.RETRYING;
                    task.owner = null;
                    task.expiresAt = null;
                    task.updatedAt = now;
                    out.add(pending(job, task));
                }
            }
        }
        return out;
    }

    @Override
    public synchronized List<PendingTask> takeStranded(Instant quietSince, int limit, Instant now) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        List<Map.Entry<Job, Task>> quiet = new ArrayList<>();
        for (Job job : jobs.values()) {
            for (Task task : job.tasks.values()) {
                if (strandedSince(task, quietSince)) {
                    quiet.add(Map.entry(job, task));
                }
            }
        }
        quiet.sort(Comparator.comparing(e -> e.getValue().updatedAt));
        List<PendingTask> out = new ArrayList<>();
        for (Map.Entry<Job, Task> e : quiet.subList(0, Math.min(limit, quiet.size()))) {
            e.getValue().updatedAt = now;
            out.add(pending(e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public synchronized long countExpectingMessage(Instant untouchedSince) {
        return jobs.values().stream().flatMap(j -> j.tasks.values().stream())
                .filter(t -> (t.state == TaskState.QUEUED || t.state == TaskState.RETRYING || t.state == TaskState.IN_PROGRESS)
                        && !t.updatedAt.isAfter(untouchedSince))
                .count();
    }

    private static boolean strandedSince(Task task, Instant quietSince) {
        return (task.state == TaskState.QUEUED || task.state == TaskState.RETRYING) && !task.updatedAt.isAfter(quietSince);
    }

    private static PendingTask pending(Job job, Task task) {
        String environment = null;
        int latest = -1;
        for (var ofRun : job.batches.entrySet()) {
            for (BatchState b : ofRun.getValue().values()) {
                if (ofRun.getKey() >= latest && b.batch.segmentIds().contains(task.segmentId)) {
                    latest = ofRun.getKey();
                    environment = b.batch.sourceEnvironment();
                }
            }
        }
        return new PendingTask(new TaskKey(job.id, task.segmentId), job.manifestationId, task.state, task.span,
                environment);
    }

    @Override
    public synchronized ReprocessResult reprocessTask(TaskKey key, Instant now) {
        Job job = jobs.get(key.jobId());
        if (job == null || !job.tasks.containsKey(key.segmentId())) {
            return new UnknownJobOrTask(key.jobId());
        }
        return reprocess(job, t -> t.segmentId.equals(key.segmentId()), now);
    }

    @Override
    public synchronized ReprocessResult reprocessJob(JobId jobId, boolean onlyFailed, Instant now) {
        Job job = jobs.get(jobId);
        if (job == null) {
            return new UnknownJobOrTask(jobId);
        }
        return reprocess(job, t -> !onlyFailed || t.state == TaskState.FAILED, now);
    }

    private ReprocessResult reprocess(Job job, Predicate<Task> which, Instant now) {
        List<PendingTask> reset = new ArrayList<>();
        Map<String, Boolean> ended = new LinkedHashMap<>(); // segment -> it had failed
        for (Task task : job.tasks.values()) {
            if (!which.test(task)) {
                continue;
            }
            if (task.state == TaskState.COMPLETED || task.state == TaskState.FAILED) {
                ended.put(task.segmentId, task.state == TaskState.FAILED);
            }
            if (task.state == TaskState.COMPLETED) {
                job.completed = Math.max(0, job.completed - 1);
            } else if (task.state == TaskState.FAILED) {
                job.failed = Math.max(0, job.failed - 1);
            }
            task.state = TaskState.QUEUED;
            task.attempts = 0;
            task.result = List.of();
            task.error = null;
            task.owner = null;
            task.expiresAt = null;
            task.token++;
            task.updatedAt = now;
            reset.add(pending(job, task));
        }
        if (reset.isEmpty()) {
            return new NoTaskMatched(job.id);
        }
        if (job.completed + job.failed > 0) {
            job.state = JobState.IN_PROGRESS;
        } else {
            // as the database's reset trigger: a job reset to nothing counted starts a new run
            resetToNewRun(job, now);
        }
        job.updatedAt = now;
        outbox.removeUnsent("job-completed:" + job.id + (job.run == 0 ? "" : ":" + job.run));
        reopenBatches(job, ended);
        reset.sort(Comparator.comparing(p -> p.key().segmentId()));
        return new Reprocessed(job.id, reset);
    }

    /** As the database: the run's batches count their reprocessed ended tasks again and announce anew. */
    private void reopenBatches(Job job, Map<String, Boolean> ended) {
        for (BatchState state : job.batches.getOrDefault(job.run, Map.of()).values()) {
            int n = 0;
            int f = 0;
            for (String id : state.batch.segmentIds()) {
                Boolean failed = ended.get(id);
                if (failed != null) {
                    n++;
                    f += failed ? 1 : 0;
                }
            }
            if (n > 0) {
                state.remaining += n;
                state.failed = Math.max(0, state.failed - f);
                outbox.removeUnsent(batchMessageId(job, state));
            }
        }
    }

    @Override
    public synchronized Optional<TaskDetail> task(TaskKey key) {
        requireNonNull(key, "key is null");
        Job job = jobs.get(key.jobId());
        Task task = job == null ? null : job.tasks.get(key.segmentId());
        return task == null ? Optional.empty() : Optional.of(detail(job, task));
    }

    @Override
    public boolean forEachTask(JobId jobId, Consumer<TaskDetail> sink) {
        requireNonNull(sink, "sink is null");
        List<TaskDetail> snapshot;
        synchronized (this) {
            Job job = jobs.get(requireNonNull(jobId, "jobId is null"));
            if (job == null) {
                return false;
            }
            snapshot = job.tasks.values().stream()
                    .sorted(Comparator.comparing(t -> t.segmentId))
                    .map(t -> detail(job, t))
                    .toList();
        }
        // the sink runs outside the lock, as it would outside a database's transaction
        snapshot.forEach(sink);
        return true;
    }

    private static TaskDetail detail(Job job, Task task) {
        return new TaskDetail(new TaskKey(job.id, task.segmentId), job.manifestationId, task.state, task.span,
                task.attempts, task.result, task.error);
    }

    @Override
    public synchronized List<JobStatus> listJobs(JobQuery query) {
        requireNonNull(query, "query is null");
        return jobs.values().stream()
                .filter(j -> query.state() == null || j.state == query.state())
                .filter(j -> query.manifestationId() == null || j.manifestationId.equals(query.manifestationId()))
                .sorted(Comparator.comparing((Job j) -> j.createdAt).reversed().thenComparing(j -> j.id.toString()))
                .limit(query.limit())
                .map(j -> jobStatus(j.id).orElseThrow())
                .toList();
    }
}
