package dev.segrel.cli;

import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.JobQuery;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.port.out.JobQuery;
import dev.segrel.core.port.out.JobStatus;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.NewTask;
import dev.segrel.sqs.SqsTaskQueue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code segrel job create}: a job for every segment of a manifestation (or of a file), and its messages. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = SegrelVersion.class,
        description = {
            "Create a job for every segment of a manifestation and enqueue its tasks.",
            "The segments come from the graph (NEO4J_*), or from --from-file. The job and",
            "its tasks are written to PostgreSQL (POSTGRES_URL) in one transaction, then",
            "one message per task (or per --batch-size segments) is sent to SQS_QUEUE_URL.",
            "Prints the job id on stdout (progress on stderr).",
            "",
            "Interrupting the sending loses nothing: the worker's sweeper re-dispatches",
            "queued tasks, and rerunning with --job-id ID re-sends the messages of the",
            "job's tasks that are still QUEUED (duplicates are harmless)."
        },
        footer = {
            "",
            "Examples:",
            "  segrel job create --manifestation M1",
            "  segrel job create -m M1 --source pagination --batch-size 50",
            "  segrel job create -m M1 --from-file segments.jsonl",
            "    (lines {\"segment_id\":\"S\",\"start\":0,\"end\":10} or",
            "     {\"segment_id\":\"S\",\"span\":{\"start\":0,\"end\":10}})",
            "  segrel job create --from-file segments.jsonl",
            "    (every line names it: {\"manifestation_id\":\"M1\",\"segment_id\":\"S\",...})",
            "  segrel job create -m M1 --job-id 0b6f…  (resume an interrupted create)",
            "",
            "Without --job-id, a job is refused (exit 2) while another job of the same",
            "manifestation is QUEUED or IN_PROGRESS, unless --force.",
            ExitCodes.FOOTER
        })
public final class JobCreateCommand implements Callable<Integer> {

    /** Largest --batch-size: keeps a batch message far below SQS's 256 KiB. */
    static final int MAX_BATCH_SIZE = 500;

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--manifestation"}, paramLabel = "ID",
            description = "The manifestation whose segments the job computes (optional with --from-file"
                    + " when its lines name their \"manifestation_id\").")
    String manifestation;

    @ArgGroup(exclusive = true)
    Segments segments = new Segments();

    static final class Segments {
        @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "segmentation",
                converter = SourceConverter.class, completionCandidates = SourceCandidates.class,
                description = "Which annotation's segments: segmentation (default) or pagination.")
        SegmentSource source = SegmentSource.SEGMENTATION;

        @Option(names = "--from-file", paramLabel = "FILE",
                description = "Take the segments from this JSON-lines file instead of the graph.")
        Path fromFile;
    }

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "0",
            description = "Send batch-format messages of N segments (1.." + MAX_BATCH_SIZE
                    + "); 0 (default): one single-format message per segment.")
    int batchSize;

    @Option(names = "--job-id", paramLabel = "UUID",
            description = "The job's id (default: a new UUID). If the job exists, re-send its QUEUED tasks' messages.")
    String jobId;

    @Option(names = "--force", description = "Create the job even when another job of the manifestation is not finished.")
    boolean force;

    @Option(names = "--json", description = "Print {\"job_id\",\"manifestation_id\",\"segments\",\"messages\",\"created\"} as JSON.")
    boolean json;

    public JobCreateCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        if (batchSize < 0 || batchSize > MAX_BATCH_SIZE) {
            throw new CliException(ExitCodes.USAGE, "--batch-size must be in 0.." + MAX_BATCH_SIZE + ", was " + batchSize);
        }
        JobId id = jobId == null ? null : parseJobId(jobId);
        List<NewTask> fromFile = null;
        if (segments.fromFile != null) {
            SegmentsFile.Contents contents = SegmentsFile.read(segments.fromFile);
            manifestation = manifestationOf(contents);
            fromFile = contents.tasks();
        } else if (manifestation == null) {
            throw new CliException(ExitCodes.USAGE, "missing --manifestation (or --from-file whose lines name their"
                    + " \"manifestation_id\")");
        }
        try (Connections c = new Connections(context)) {
            TaskStore store = c.store();
            SqsTaskQueue queue = c.queue();
            if (id != null) {
                var existing = store.jobStatus(id);
                if (existing.isPresent()) {
                    return resend(existing.get(), store, queue);
                }
            } else if (!force) {
                refuseWhileAnotherJobRuns(store);
            }
            List<NewTask> tasks = fromFile != null ? fromFile : segmentsOf(c.graph(), c.connectedGraph().location());
            JobId newId = id != null ? id : JobId.random();
            TaskStore.CreateJobResult created = store.createJob(new NewJob(newId, manifestation, tasks), Instant.now());
            if (created instanceof TaskStore.JobAlreadyExists) {
                // another create with this id won the race: resume it
                return resend(store.jobStatus(newId).orElseThrow(), store, queue);
            }
            List<TaskRequest> requests = new ArrayList<>(tasks.size());
            tasks.forEach(t -> requests.add(new TaskRequest(newId, manifestation, t.segmentId(), t.span())));
            int messages = send(queue, requests, tasks.size());
            report(newId, tasks.size(), messages, true, "created job %s: %d segments of %s, %d messages sent to %s"
                    .formatted(newId, tasks.size(), manifestation, messages, queue.queueUrl()));
            return ExitCodes.OK;
        }
    }

    /** --manifestation, else the one the file's lines name; both given, they must agree. */
    private String manifestationOf(SegmentsFile.Contents contents) {
        if (manifestation == null) {
            if (contents.firstUnnamedLine() > 0) {
                throw new CliException(ExitCodes.USAGE, "--from-file " + segments.fromFile + " line "
                        + contents.firstUnnamedLine() + " names no \"manifestation_id\": pass --manifestation"
                        + " or name it on every line; nothing was created");
            }
            return contents.manifestation().orElseThrow();
        }
        contents.manifestation().filter(named -> !named.equals(manifestation)).ifPresent(named -> {
            throw new CliException(ExitCodes.USAGE, "--from-file " + segments.fromFile + " is of manifestation '"
                    + named + "', not '" + manifestation + "'; nothing was created");
        });
        return manifestation;
    }

    private void refuseWhileAnotherJobRuns(TaskStore store) {
        for (JobState state : List.of(JobState.IN_PROGRESS, JobState.QUEUED)) {
            List<JobStatus> running = store.listJobs(new JobQuery(state, manifestation, 1));
            if (!running.isEmpty()) {
                JobStatus other = running.get(0);
                throw new CliException(ExitCodes.USAGE, "job " + other.jobId() + " of manifestation " + manifestation
                        + " is " + other.state() + " (" + (other.completedSegments() + other.failedSegments()) + "/"
                        + other.totalSegments() + " done): follow it with 'segrel job status " + other.jobId()
                        + " --watch', resume it with --job-id " + other.jobId() + ", or pass --force to create another");
            }
        }
    }

    private List<NewTask> segmentsOf(AlignmentGraph graph, String location) {
        List<Segment> found = graph.segmentsOf(manifestation, segments.source);
        if (found.isEmpty()) {
            if (!graph.manifestationExists(manifestation)) {
                throw new CliException(ExitCodes.NOT_FOUND, "manifestation '" + manifestation + "' not found in "
                        + location + "; nothing was created");
            }
            throw new CliException(ExitCodes.USAGE, "manifestation '" + manifestation + "' has no "
                    + segments.source.typeName() + " segments in " + location + "; nothing was created"
                    + (segments.source == SegmentSource.SEGMENTATION ? " (try --source pagination)" : ""));
        }
        List<NewTask> tasks = new ArrayList<>(found.size());
        found.forEach(s -> tasks.add(new NewTask(s.id(), s.span())));
        return tasks;
    }

    /** The job exists: send the messages of its tasks still QUEUED. */
    private int resend(JobStatus job, TaskStore store, TaskQueue queue) {
        if (!job.manifestationId().equals(manifestation)) {
            throw new CliException(ExitCodes.USAGE, "job " + job.jobId() + " exists for manifestation "
                    + job.manifestationId() + ", not " + manifestation + "; nothing was changed");
        }
        List<TaskRequest> queued = new ArrayList<>();
        store.forEachTask(job.jobId(), t -> {
            if (t.state() == TaskState.QUEUED) {
                queued.add(new TaskRequest(job.jobId(), job.manifestationId(), t.key().segmentId(), t.span()));
            }
        });
        int messages = send(queue, queued, job.totalSegments());
        report(job.jobId(), job.totalSegments(), messages, false, "job %s exists (%s): re-sent %d messages for its %d QUEUED tasks"
                .formatted(job.jobId(), job.state(), messages, queued.size()));
        return ExitCodes.OK;
    }

    private int send(TaskQueue queue, List<TaskRequest> requests, int total) {
        List<String> bodies = TaskMessages.bodies(requests, batchSize, total);
        PrintWriter err = spec.commandLine().getErr();
        return TaskMessages.send(queue, bodies, sent -> {
            if (bodies.size() > 1000) {
                err.printf("segrel: sent %d/%d messages%n", sent, bodies.size());
                err.flush();
            }
        });
    }

    private void report(JobId id, int segmentCount, int messages, boolean created, String line) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = MappingsJson.MAPPER.createObjectNode();
            node.put("job_id", id.toString());
            node.put("manifestation_id", manifestation);
            node.put("segments", segmentCount);
            node.put("messages", messages);
            node.put("created", created);
            out.println(MappingsJson.write(node));
        } else {
            out.println(id);
            spec.commandLine().getErr().println("segrel: " + line);
            spec.commandLine().getErr().flush();
        }
        out.flush();
    }

    static JobId parseJobId(String text) {
        try {
            return JobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    static final class SourceConverter implements ITypeConverter<SegmentSource> {
        @Override
        public SegmentSource convert(String value) {
            try {
                return SegmentSource.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SourceCandidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("segmentation", "pagination").iterator();
        }
    }
}
