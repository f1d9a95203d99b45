package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.MappingDiff;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ReprocessTasks;
import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.core.port.out.TaskRecovery.ReprocessResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Reprocessing; see {@link ReprocessTasks}. */
final class ReprocessTasksService implements ReprocessTasks {

    /** Who claims a task computed here. */
    static final String OWNER = "segrel-cli-reprocess";

    private final Jobs jobs;
    private final Batches batches;
    private final TaskReads reads;
    private final TaskRecovery recovery;
    private final Supplier<TaskQueue> queue;
    private final Supplier<FindRelatedSegments> relations;
    private final Supplier<ProcessTask> process;
    private final Clock clock;

    /** The suppliers are called only by the modes that need them (a dry run needs no queue). */
    ReprocessTasksService(Jobs jobs, Batches batches, TaskReads reads, TaskRecovery recovery, Supplier<TaskQueue> queue,
            Supplier<FindRelatedSegments> relations, Supplier<ProcessTask> process, Clock clock) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.batches = requireNonNull(batches, "batches is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.recovery = requireNonNull(recovery, "recovery is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.relations = requireNonNull(relations, "relations is null");
        this.process = requireNonNull(process, "process is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public SegmentResult segment(TaskKey key, Mode mode) {
        Optional<TaskDetail> found = reads.task(key);
        if (found.isEmpty()) {
            return new UnknownTask(key);
        }
        TaskDetail task = found.get();
        if (mode == Mode.DRY_RUN) {
            Optional<List<Mapping>> fresh = fresh(relations.get(), task);
            return fresh.<SegmentResult>map(f -> new SegmentDryRun(key, task.state(), diff(task, f), f))
                    .orElseGet(() -> new NoSpan(key));
        }
        TaskQueue sendTo = mode == Mode.QUEUE ? queue.get() : null; // a missing queue fails before anything is reset
        return switch (recovery.reprocessTask(key, clock.instant())) {
            case TaskRecovery.UnknownJobOrTask unknown -> new UnknownTask(key);
            case TaskRecovery.NoTaskMatched none -> new UnknownTask(key);
            case TaskRecovery.Reprocessed reset -> mode == Mode.NOW
                    ? new ComputedHere(key, process.get().process(new ProcessTask.Command(key, task.span(), OWNER)))
                    : new Requeued(key, task.state(), send(sendTo, reset, 1));
        };
    }

    @Override
    public JobResult job(JobId jobId, boolean onlyFailed, boolean dryRun, Consumer<Changed> changed) {
        Optional<JobStatus> status = jobs.jobStatus(jobId);
        if (status.isEmpty()) {
            return new UnknownJob(jobId);
        }
        if (dryRun) {
            return dryRun(jobId, onlyFailed, changed);
        }
        TaskQueue sendTo = queue.get();
        ReprocessResult result = recovery.reprocessJob(jobId, onlyFailed, clock.instant());
        return switch (result) {
            case TaskRecovery.UnknownJobOrTask unknown -> new UnknownJob(jobId);
            case TaskRecovery.NoTaskMatched none -> new NothingToReprocess(jobId);
            case TaskRecovery.Reprocessed reset -> {
                List<Batch> ofJob = onlyFailed ? List.of() : batches.batchesOf(jobId);
                if (ofJob.isEmpty()) {
                    send(sendTo, reset, status.get().totalSegments());
                } else {
                    sendBatches(sendTo, reset, ofJob, status.get().totalSegments());
                }
                yield new JobRequeued(jobId, reset.tasks().size());
            }
        };
    }

    private JobResult dryRun(JobId jobId, boolean onlyFailed, Consumer<Changed> changed) {
        FindRelatedSegments find = relations.get();
        int[] counts = new int[3]; // checked, changed, without span
        reads.forEachTask(jobId, task -> {
            if (onlyFailed && task.state() != TaskState.FAILED) {
                return;
            }
            Optional<List<Mapping>> fresh = fresh(find, task);
            if (fresh.isEmpty()) {
                counts[2]++;
                return;
            }
            counts[0]++;
            MappingDiff diff = diff(task, fresh.get());
            if (!diff.isEmpty()) {
                counts[1]++;
                changed.accept(new Changed(task.key().segmentId(), task.state(), diff));
            }
        });
        return new JobDryRun(jobId, counts[0], counts[1], counts[2]);
    }

    private static MappingDiff diff(TaskDetail task, List<Mapping> fresh) {
        return MappingDiff.between(task.state() == TaskState.COMPLETED ? task.mappings() : List.of(), fresh);
    }

    /** The fresh mappings of a stored task; empty when it has no span to compute from. */
    private static Optional<List<Mapping>> fresh(FindRelatedSegments relations, TaskDetail task) {
        if (task.span() == null) {
            return Optional.empty();
        }
        return Optional.of(relations.mappings(
                new FindRelatedSegments.Query(task.manifestationId(), task.span(), RelationMode.SEGMENTATION)));
    }

    /**
     * A batched job reprocessed whole: its batches sent again as batch messages, so that the new run
     * announces each of them again (tasks in no batch go as single messages).
     */
    private static void sendBatches(TaskQueue queue, TaskRecovery.Reprocessed reset, List<Batch> ofJob,
            int totalSegments) {
        Map<String, TaskRequest> byId = new LinkedHashMap<>();
        reset.tasks().forEach(t -> byId.put(t.key().segmentId(), Enqueue.request(t)));
        List<String> bodies = new ArrayList<>();
        int number = 0;
        for (Batch batch : ofJob) {
            number++;
            List<TaskRequest> requests = new ArrayList<>();
            for (String id : batch.segmentIds()) {
                TaskRequest request = byId.remove(id);
                if (request != null) {
                    requests.add(request);
                }
            }
            if (!requests.isEmpty()) {
                bodies.add(TaskMessage.toBatchJson(requests, batch.batchNumber() != null ? batch.batchNumber() : number,
                        batch.totalSegments() != null ? batch.totalSegments() : totalSegments, batch.sourceEnvironment(),
                        batch.destinationEnvironment()));
            }
        }
        byId.values().forEach(r -> bodies.add(TaskMessage.toSingleJson(r)));
        Enqueue.sendBodies(queue, bodies, sent -> { });
    }

    private static int send(TaskQueue queue, TaskRecovery.Reprocessed reset, int totalSegments) {
        List<TaskRequest> requests = reset.tasks().stream().map(Enqueue::request).toList();
        return Enqueue.send(queue, requests, 0, totalSegments, sent -> { });
    }
}
