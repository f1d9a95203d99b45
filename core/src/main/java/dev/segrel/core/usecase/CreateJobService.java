package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.CreateJob;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.port.out.Tracing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** Job creation; see {@link CreateJob}. */
final class CreateJobService implements CreateJob {

    private final Supplier<AlignmentGraph> graph;
    private final Jobs jobs;
    private final TaskReads reads;
    private final TaskQueue queue;
    private final Clock clock;
    private final Tracing tracing;

    /** @param graph opened only when the segments come from the graph */
    CreateJobService(Supplier<AlignmentGraph> graph, Jobs jobs, TaskReads reads, TaskQueue queue, Clock clock,
            Tracing tracing) {
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.graph = requireNonNull(graph, "graph is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One span per creation: the root of the trace that every task message of the job carries. */
    @Override
    public Result create(Command command, IntConsumer sent) {
        requireNonNull(command, "command is null");
        requireNonNull(sent, "sent is null");
        try (Tracing.TraceSpan span = tracing.start("job create")) {
            span.attribute("segrel.manifestation_id", command.manifestationId());
            Result result = createOrResume(command, sent);
            span.attribute("segrel.job.result", result.getClass().getSimpleName());
            switch (result) {
                case Created c -> span.attribute("segrel.job_id", c.jobId().toString())
                        .attribute("segrel.tasks", c.segments()).attribute("messaging.batch.message_count", c.messages());
                case Reset r -> span.attribute("segrel.job_id", r.jobId().toString())
                        .attribute("segrel.tasks", r.segments()).attribute("messaging.batch.message_count", r.messages());
                case Resent r -> span.attribute("segrel.job_id", r.jobId().toString())
                        .attribute("segrel.tasks", r.queuedTasks()).attribute("messaging.batch.message_count", r.messages());
                default -> { }
            }
            return result;
        }
    }

    private Result createOrResume(Command command, IntConsumer sent) {
        if (command.jobId() != null) {
            Optional<JobStatus> existing = jobs.jobStatus(command.jobId());
            if (existing.isPresent()) {
                return command.resetNewest() ? reset(existing.get(), command, sent) : resend(existing.get(), command, sent);
            }
        } else if (command.resetNewest()) {
            Optional<JobStatus> newest = jobs.listJobs(new JobQuery(null, command.manifestationId(), 1)).stream().findFirst();
            if (newest.isPresent()) {
                return reset(newest.get(), command, sent);
            }
            // the manifestation has no job: none runs, a first one is created
        } else if (!command.force()) {
            Optional<JobStatus> running = runningJobOf(command.manifestationId());
            if (running.isPresent()) {
                return new AnotherJobRunning(running.get());
            }
        }
        Found found = tasks(command);
        if (found.refused() != null) {
            return found.refused();
        }
        List<NewTask> tasks = found.tasks();
        JobId id = command.jobId() != null ? command.jobId() : JobId.random();
        if (jobs.createJob(new NewJob(id, command.manifestationId(), tasks), clock.instant())
                instanceof Jobs.JobAlreadyExists) {
            // another create with this id won the race: resume it
            return resend(jobs.jobStatus(id).orElseThrow(), command, sent);
        }
        List<TaskRequest> requests = new ArrayList<>(tasks.size());
        tasks.forEach(t -> requests.add(new TaskRequest(id, command.manifestationId(), t.segmentId(), t.span())));
        int messages = Enqueue.send(queue, tracing.current().context(), requests, command.batchSize(), tasks.size(), command.sourceEnvironment(),
                command.destinationEnvironment(), sent);
        return new Created(id, command.manifestationId(), tasks.size(), messages);
    }

    /** A job's tasks, or why it has none (then {@code tasks} is empty). */
    private record Found(List<NewTask> tasks, Result refused) {}

    /** The job's tasks: the given segments or the graph's; or why there are none. */
    private Found tasks(Command command) {
        if (command.segments() != null) {
            return command.segments().isEmpty()
                    ? new Found(List.of(), new NoSegments(command.manifestationId(), command.source()))
                    : new Found(command.segments(), null);
        }
        AlignmentGraph g = graph.get();
        List<Segment> found = g.segmentsOf(command.manifestationId(), command.source());
        if (found.isEmpty()) {
            return new Found(List.of(), g.manifestationExists(command.manifestationId())
                    ? new NoSegments(command.manifestationId(), command.source())
                    : new UnknownManifestation(command.manifestationId()));
        }
        return new Found(found.stream().map(s -> new NewTask(s.id(), s.span())).toList(), null);
    }

    /** The deployed producer's re-submission: the job reset to a new run, every segment sent again. */
    private Result reset(JobStatus job, Command command, IntConsumer sent) {
        if (!job.manifestationId().equals(command.manifestationId())) {
            return new OfAnotherManifestation(job.jobId(), job.manifestationId());
        }
        Found found = tasks(command);
        if (found.refused() != null) {
            return found.refused();
        }
        List<NewTask> tasks = found.tasks();
        OptionalInt run = jobs.resetJob(job.jobId(), tasks, clock.instant());
        if (run.isEmpty()) {
            // deleted meanwhile: start afresh
            return createOrResume(new Command(command.manifestationId(), command.source(), tasks, command.batchSize(), null,
                    true, command.sourceEnvironment(), command.destinationEnvironment(), false), sent);
        }
        List<TaskRequest> requests = new ArrayList<>(tasks.size());
        tasks.forEach(t -> requests.add(new TaskRequest(job.jobId(), job.manifestationId(), t.segmentId(), t.span())));
        int messages = Enqueue.send(queue, tracing.current().context(), requests, command.batchSize(), tasks.size(), command.sourceEnvironment(),
                command.destinationEnvironment(), sent);
        return new Reset(job.jobId(), job.manifestationId(), run.getAsInt(), tasks.size(), messages);
    }

    private Optional<JobStatus> runningJobOf(String manifestationId) {
        for (JobState state : List.of(JobState.IN_PROGRESS, JobState.QUEUED)) {
            List<JobStatus> running = jobs.listJobs(new JobQuery(state, manifestationId, 1));
            if (!running.isEmpty()) {
                return Optional.of(running.get(0));
            }
        }
        return Optional.empty();
    }

    /** The job exists: send the messages of its tasks still QUEUED. */
    private Result resend(JobStatus job, Command command, IntConsumer sent) {
        if (!job.manifestationId().equals(command.manifestationId())) {
            return new OfAnotherManifestation(job.jobId(), job.manifestationId());
        }
        List<TaskRequest> queued = new ArrayList<>();
        reads.forEachTask(job.jobId(), t -> {
            if (t.state() == TaskState.QUEUED) {
                queued.add(new TaskRequest(job.jobId(), job.manifestationId(), t.key().segmentId(), t.span()));
            }
        });
        int messages = Enqueue.send(queue, tracing.current().context(), queued, command.batchSize(), job.totalSegments(), command.sourceEnvironment(),
                command.destinationEnvironment(), sent);
        return new Resent(job.jobId(), job.manifestationId(), job.state(), job.totalSegments(), queued.size(), messages);
    }
}
