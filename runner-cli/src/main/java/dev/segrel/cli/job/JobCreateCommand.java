package dev.segrel.cli.job;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.Cli;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.domain.EnvironmentName;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.port.in.CreateJob;
import dev.segrel.core.port.out.InvalidGraphDataException;
import dev.segrel.neo4j.Neo4jConfig;
import dev.segrel.sqs.SqsConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code segrel job create}: a job for every segment of a manifestation (or of a file), and its messages. */
@Command(
        name = "create",
        sortOptions = false,
        description = {
            "Create a job for every segment of a manifestation and enqueue its tasks.",
            "The segments come from the graph (NEO4J_*), or from --from-file. The job and",
            "its tasks are written to PostgreSQL (POSTGRES_URL) in one transaction, then",
            "one message per task (or per --batch-size segments) is sent to SQS_QUEUE_URL.",
            "Prints the job id on stdout (progress on stderr).",
            "",
            "--environment SOURCE:DESTINATION does what the deployed producer does: batch",
            "messages of 500 segments (unless --batch-size) naming source_environment",
            "(the graph workers search) and destination_environment (where the downstream",
            "consumer posts the results), and the text's newest job is RESET (same job id,",
            "status QUEUED, counts 0, a new run: every segment computed and every batch",
            "announced again) instead of a new job being created; --new creates one.",
            "",
            "Interrupting the sending loses nothing: the worker's sweeper re-dispatches",
            "queued tasks, and rerunning with --job-id ID re-sends the messages of the",
            "job's tasks that are still QUEUED (duplicates are harmless). With",
            "--environment, rerunning resets the job again and re-sends every batch."
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
            "  segrel job create -m M1 --environment DEVELOPMENT:PRODUCTION",
            "    (as the deployed producer: reset M1's newest job, batches of 500)",
            "  segrel job create -m M1 --environment DEVELOPMENT:PRODUCTION --new",
            "",
            "Without --job-id, a new job is refused (exit 2) while another job of the same",
            "manifestation is QUEUED or IN_PROGRESS, unless --force. A reset has no such",
            "rule (nor has the deployed producer): it resets the newest job even while it",
            "runs.",
            ExitCodes.FOOTER
        })
public final class JobCreateCommand implements Callable<Integer> {

    /** Jobs whose sending shows progress on stderr: messages sent so far, after each chunk from here on. */
    static final int PROGRESS_FROM = 1000;

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

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Send batch-format messages of N segments (1.." + CreateJob.MAX_BATCH_SIZE
                    + "); 0: one single-format message per segment. Default: 0, or "
                    + CreateJob.PRODUCER_BATCH_SIZE + " with --environment.")
    Integer batchSize;

    @Option(names = "--environment", paramLabel = "SOURCE:DESTINATION", converter = EnvironmentsConverter.class,
            description = "As the deployed producer: batch messages naming source_environment SOURCE and"
                    + " destination_environment DESTINATION (e.g. DEVELOPMENT:PRODUCTION), and the"
                    + " manifestation's newest job reset instead of a new one (unless --new).")
    Environments environments;

    @Option(names = "--new", description = "With --environment: create a new job instead of resetting the newest"
            + " one (refused while another job of the manifestation runs, unless --force); not with --job-id."
            + " Without --environment a new job is the default.")
    boolean createNew;

    @Option(names = "--job-id", paramLabel = "UUID",
            description = "The job's id (default: a new UUID). If the job exists, re-send its QUEUED tasks' messages"
                    + " (with --environment: reset that job instead of the newest).")
    String jobId;

    @Option(names = "--force", description = "Create a new job even when another job of the manifestation is not"
            + " finished (a reset needs no --force).")
    boolean force;

    @Mixin
    JsonOutput json;

    public JobCreateCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    /** {@code --environment SOURCE:DESTINATION}, both checked as environment names. */
    record Environments(String source, String destination) {}

    @Override
    public Integer call() {
        int batch = batchSize != null ? batchSize : environments != null ? CreateJob.PRODUCER_BATCH_SIZE : 0;
        if (batch < 0 || batch > CreateJob.MAX_BATCH_SIZE) {
            throw new CliException(ExitCodes.USAGE, "--batch-size must be in 0.." + CreateJob.MAX_BATCH_SIZE
                    + ", was " + batch);
        }
        if (environments != null && batch == 0) {
            // only batch messages name environments: single-format ones would silently drop them
            throw new CliException(ExitCodes.USAGE, "--environment sends batch messages: --batch-size must be in 1.."
                    + CreateJob.MAX_BATCH_SIZE + ", was 0");
        }
        if (createNew && jobId != null) {
            // an existing job would be resumed, not made new: its batches numbered again within its run
            throw new CliException(ExitCodes.USAGE, "--new creates a job with a new id: leave out --job-id");
        }
        boolean reset = environments != null && !createNew;
        JobId id = jobId == null ? null : JobViews.parseJobId(jobId);
        List<NewTask> fromFile = null;
        if (segments.fromFile != null) {
            SegmentsFile.Contents contents = SegmentsFile.read(segments.fromFile);
            manifestation = manifestationOf(contents);
            fromFile = contents.tasks();
        } else if (manifestation == null) {
            throw new CliException(ExitCodes.USAGE, "missing --manifestation (or --from-file whose lines name their"
                    + " \"manifestation_id\")");
        }
        try (Services services = Services.open(context)) {
            CreateJob create = services.get(CreateJob.class);
            String queueUrl = services.get(SqsConfig.class).requireQueueUrl();
            PrintWriter err = spec.commandLine().getErr();
            CreateJob.Result result;
            try {
                result = create.create(
                        new CreateJob.Command(manifestation, segments.source, fromFile, batch, id, force,
                                environments == null ? null : environments.source(),
                                environments == null ? null : environments.destination(), reset),
                        sent -> progress(err, sent));
            } catch (InvalidGraphDataException e) {
                // the graph's data, not this command, is at fault: named, one line, no stack trace
                throw new CliException(ExitCodes.USAGE, Cli.oneLine(e.getMessage()) + "; nothing was created");
            }
            return switch (result) {
                case CreateJob.Created c -> report(c.jobId(), c.segments(), c.messages(), "created", 0,
                        "created job %s: %d segments of %s, %d messages sent to %s%s"
                                .formatted(c.jobId(), c.segments(), manifestation, c.messages(), queueUrl, naming()));
                case CreateJob.Reset r -> report(r.jobId(), r.segments(), r.messages(), "reset", r.run(),
                        "reset job %s of %s to run %d: %d segments, %d messages sent to %s%s"
                                .formatted(r.jobId(), manifestation, r.run(), r.segments(), r.messages(), queueUrl,
                                        naming()));
                case CreateJob.Resent r -> report(r.jobId(), r.segments(), r.messages(), "resent", null,
                        "job %s exists (%s): re-sent %d messages for its %d QUEUED tasks"
                                .formatted(r.jobId(), r.state(), r.messages(), r.queuedTasks()));
                case CreateJob.AnotherJobRunning a -> throw anotherJobRunning(a.running());
                case CreateJob.UnknownManifestation u -> throw new CliException(ExitCodes.NOT_FOUND,
                        "manifestation '" + manifestation + "' not found in " + location(services)
                                + "; nothing was created");
                case CreateJob.NoSegments n -> throw new CliException(ExitCodes.USAGE, "manifestation '"
                        + manifestation + "' has no " + n.source().typeName() + " segments in " + location(services)
                        + "; nothing was created"
                        + (n.source() == SegmentSource.SEGMENTATION ? " (try --source pagination)" : ""));
                case CreateJob.OfAnotherManifestation o -> throw new CliException(ExitCodes.USAGE, "job " + o.jobId()
                        + " exists for manifestation " + o.manifestationId() + ", not " + manifestation
                        + "; nothing was changed");
            };
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

    private static CliException anotherJobRunning(JobStatus other) {
        return new CliException(ExitCodes.USAGE, "job " + other.jobId() + " of manifestation " + other.manifestationId()
                + " is " + other.state() + " (" + other.done() + "/" + other.totalSegments() + " done): follow it with"
                + " 'segrel job status " + other.jobId() + " --watch', resume it with --job-id " + other.jobId()
                + ", or pass --force to create another");
    }

    private static void progress(PrintWriter err, int sent) {
        if (sent >= PROGRESS_FROM) {
            err.printf("segrel: sent %d messages%n", sent);
            err.flush();
        }
    }

    /** What the messages name, for the line on stderr; empty without --environment. */
    private String naming() {
        return environments == null ? "" : " (source_environment %s, destination_environment %s)"
                .formatted(environments.source(), environments.destination());
    }

    /**
     * @param outcome created, reset or resent
     * @param run the job's run the messages are for (a new job's is 0), or null when not read (resent)
     */
    private int report(JobId id, int segmentCount, int messages, String outcome, Integer run, String line) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("job_id", id.toString());
            node.put("manifestation_id", manifestation);
            node.put("segments", segmentCount);
            node.put("messages", messages);
            node.put("created", outcome.equals("created"));
            node.put("reset", outcome.equals("reset"));
            node.put("run", run);
            json.print(out, node, "");
        } else {
            out.println(id);
            out.flush();
            spec.commandLine().getErr().println("segrel: " + line);
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.OK;
    }

    private static String location(Services services) {
        return "Neo4j at " + services.get(Neo4jConfig.class).redactedUri();
    }

    static final class EnvironmentsConverter implements ITypeConverter<Environments> {
        @Override
        public Environments convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length != 2 || !EnvironmentName.isValid(parts[0]) || !EnvironmentName.isValid(parts[1])) {
                throw new TypeConversionException("must be SOURCE:DESTINATION, two environment names (a letter, then"
                        + " letters, digits or _) such as DEVELOPMENT:PRODUCTION, was '" + value + "'");
            }
            return new Environments(parts[0], parts[1]);
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
