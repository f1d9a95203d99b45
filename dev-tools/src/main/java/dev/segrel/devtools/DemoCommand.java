package dev.segrel.devtools;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.job.JobViews;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.output.Progress;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.json.JsonException;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.in.CreateJob;
import dev.segrel.core.port.in.ReadJobs;
import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.devstack.postgres.EmbeddedPostgres;
import dev.segrel.devstack.sqs.EmbeddedSqs;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.PostgresMigrator;
import dev.segrel.worker.WorkerApp;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code segrel demo}: the main job end to end on embedded servers, no Docker and no cloud: start the
 * dev stack, load a sample corpus, create a job, run workers in process, follow the job to its
 * completion message and print a summary.
 */
@Command(
        name = "demo",
        resourceBundle = "dev.segrel.devtools.DemoCommand",
        sortOptions = false,
        description = {
            "Run the whole pipeline on embedded servers: no Docker, no cloud.",
            "Starts Neo4j, PostgreSQL and SQS (ElasticMQ) in this process on free ports,",
            "loads a sample corpus of four aligned manifestations, creates a job for one",
            "of them, runs workers until the job is COMPLETED and its completion message",
            "arrives, then prints a summary (segments, time, rate, example mappings) and",
            "stops everything."
        },
        footer = {
            "",
            "Examples:",
            "  ./segrel demo",
            "  ./segrel demo --segments 5000 --workers 3",
            "  ./segrel demo --json",
            ExitCodes.FOOTER
        })
public final class DemoCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--segments", paramLabel = "N", defaultValue = "1000",
            description = "Segments of the job's manifestation, i.e. tasks of the job (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Workers to run in process (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Give up when the job is not finished after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** Described in {@code DemoCommand.properties}: here the progress still goes to stderr. */
    @Mixin
    JsonOutput json;

    public DemoCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        if (segments < 4 || segments > 200_000) {
            throw new CliException(ExitCodes.USAGE, "--segments must be in 4..200000, was " + segments);
        }
        if (workers < 1 || workers > 8) {
            throw new CliException(ExitCodes.USAGE, "--workers must be in 1..8, was " + workers);
        }
        PrintWriter err = spec.commandLine().getErr();
        Instant t0 = Instant.now();
        step(err, "starting Neo4j, PostgreSQL and SQS in process (no Docker, no cloud) …");
        try (Stack stack = new Stack()) {
            stack.starting.add(async(() -> stack.neo4j = EmbeddedNeo4j.start(0)));
            stack.starting.add(async(() -> stack.postgres = EmbeddedPostgres.start(0)));
            stack.starting.add(async(() -> stack.sqs = EmbeddedSqs.start(0)));
            stack.starting.forEach(DemoCommand::join);
            step(err, "servers up after %.1f s".formatted(seconds(t0)));

            Instant loadStart = Instant.now();
            stack.neo4j.createSchema();
            long nodes = DemoCorpus.write(segments, stack.neo4j::execute);
            step(err, "loaded the sample corpus: %d manifestations, %d segments, in %.1f s".formatted(
                    DemoCorpus.MANIFESTATIONS.size(), nodes, seconds(loadStart)));

            QueueUrls urls = stack.sqs.createQueues("segrel-demo");
            Settings settings = settings(stack, urls);
            // the operator commands' own wiring, pointed at the demo's servers
            stack.services = Services.open(context.withSettings(settings));
            stack.services.get(PostgresMigrator.class).migrate();

            Instant jobStart = Instant.now();
            JobId job = createJob(stack.services.get(CreateJob.class));
            step(err, "created job %s: %d segments of %s".formatted(job, segments, DemoCorpus.ROOT));

            for (int i = 1; i <= workers; i++) {
                stack.workers.add(WorkerApp.start(settings.with(Map.of("SEGREL_WORKER_ID", "demo-worker-" + i))));
            }
            step(err, "started " + workers + " workers");

            ReadJobs jobs = stack.services.get(ReadJobs.class);
            JobStatus done = follow(jobs, job, Instant.now().plusSeconds(timeoutSeconds));
            Duration took = Duration.between(jobStart, Instant.now());
            Optional<String> completion = completionMessage(stack.sqs, urls, job, Instant.now().plusSeconds(30));
            if (completion.isEmpty()) {
                throw new CliException(ExitCodes.INTERNAL, "job " + job + " is " + done.state()
                        + " but its completion message did not arrive on " + urls.completed());
            }
            stack.stopWorkers();
            printSummary(done, took, examples(jobs, done), completion.get(), Duration.between(t0, Instant.now()));
            return done.state() == JobState.COMPLETED ? ExitCodes.OK : ExitCodes.INTERNAL;
        }
    }

    private static Settings settings(Stack stack, QueueUrls urls) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("NEO4J_URI", stack.neo4j.boltUri());
        values.put("NEO4J_USER", "neo4j");
        values.put("NEO4J_PASSWORD", "");
        values.put("POSTGRES_URL", stack.postgres.libpqUrl());
        values.putAll(stack.sqs.settings(urls));
        values.put("SQS_WAIT_SECONDS", "1");
        values.put("SEGREL_HTTP_PORT", "-1");
        values.put("SEGREL_CONCURRENCY", "16");
        values.put("SEGREL_SHUTDOWN_GRACE_SECONDS", "5");
        values.put("SEGREL_MIGRATE_ON_START", "false");
        values.put("SEGREL_POSTGRES_POOL_SIZE", "8");
        return Settings.of(values);
    }

    /** The job of every segment of the root, as {@code segrel job create --manifestation demo-bo} makes it. */
    private static JobId createJob(CreateJob create) {
        CreateJob.Result result = create.create(
                new CreateJob.Command(DemoCorpus.ROOT, SegmentSource.SEGMENTATION, null, 0, null, false), sent -> {});
        return switch (result) {
            case CreateJob.Created c -> c.jobId();
            case CreateJob.Resent r -> r.jobId();
            case CreateJob.Reset r -> r.jobId(); // not asked for: the demo creates
            case CreateJob.AnotherJobRunning a -> throw new CliException(ExitCodes.USAGE,
                    "job create failed: job " + a.running().jobId() + " of " + DemoCorpus.ROOT + " is " + a.running().state());
            case CreateJob.UnknownManifestation u -> throw new CliException(ExitCodes.NOT_FOUND,
                    "job create failed: manifestation '" + u.manifestationId() + "' not found; nothing was created");
            case CreateJob.NoSegments n -> throw new CliException(ExitCodes.USAGE, "job create failed: manifestation '"
                    + n.manifestationId() + "' has no " + n.source().typeName() + " segments; nothing was created");
            case CreateJob.OfAnotherManifestation o -> throw new CliException(ExitCodes.USAGE,
                    "job create failed: job " + o.jobId() + " is of manifestation " + o.manifestationId());
        };
    }

    private JobStatus follow(ReadJobs jobs, JobId job, Instant deadline) throws InterruptedException {
        JobStatus status = statusOf(jobs, job);
        try (Progress progress = Progress.on(spec.commandLine().getErr(), "demo job", status.totalSegments())) {
            while (!status.state().isTerminal()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new CliException(ExitCodes.INTERNAL, "job " + job + " not finished after " + timeoutSeconds
                            + " s: " + (status.completedSegments() + status.failedSegments()) + "/" + status.totalSegments()
                            + " done (raise --timeout, or lower --segments)");
                }
                progress.update(status);
                Thread.sleep(250);
                status = statusOf(jobs, job);
            }
            progress.update(status);
        }
        return status;
    }

    private static JobStatus statusOf(ReadJobs jobs, JobId job) {
        return jobs.progress(job).map(ReadJobs.Progress::status).orElseThrow(() -> JobViews.notFound(job));
    }

    private static Optional<String> completionMessage(EmbeddedSqs sqs, QueueUrls urls, JobId job, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            List<Message> got = sqs.client().receiveMessage(b -> b.queueUrl(urls.completed())
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message m : got) {
                if (m.body().contains(job.toString())) {
                    return Optional.of(m.body());
                }
            }
        }
        return Optional.empty();
    }

    /** The tasks of the first, the eighth and the middle segment of the root, in that order. */
    private static List<TaskDetail> examples(ReadJobs jobs, JobStatus job) {
        List<String> wanted = new ArrayList<>();
        for (int k : new int[] {0, 7, job.totalSegments() / 2}) {
            wanted.add(DemoCorpus.segmentId(DemoCorpus.ROOT, k));
        }
        Map<String, TaskDetail> found = new HashMap<>();
        jobs.results(job.jobId(), task -> {
            if (wanted.contains(task.key().segmentId())) {
                found.put(task.key().segmentId(), task);
            }
        });
        return wanted.stream().filter(found::containsKey).map(found::get).toList();
    }

    private void printSummary(JobStatus s, Duration took, List<TaskDetail> examples, String completion, Duration total) {
        PrintWriter out = spec.commandLine().getOut();
        double rate = (s.completedSegments() + s.failedSegments()) / Math.max(took.toMillis() / 1000.0, 0.001);
        if (json.enabled()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("job_id", s.jobId().toString());
            node.put("manifestation_id", s.manifestationId());
            node.put("status", s.state().name());
            node.put("segments", s.totalSegments());
            node.put("completed_segments", s.completedSegments());
            node.put("failed_segments", s.failedSegments());
            node.put("workers", workers);
            node.put("job_seconds", took.toMillis() / 1000.0);
            node.put("total_seconds", total.toMillis() / 1000.0);
            node.put("rate_per_second", Math.round(rate * 10) / 10.0);
            node.put("completion_message", jsonOrText(completion));
            List<Object> array = new ArrayList<>();
            for (TaskDetail t : examples) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("segment_id", t.key().segmentId());
                e.put("mappings", MappingJson.toTree(t.mappings()));
                array.add(e);
            }
            node.put("examples", array);
            json.print(out, node, "");
            return;
        }
        out.println();
        out.printf(Locale.ROOT, "Job %s %s: %d of %d segments of %s computed by %d workers in %.1f s (%.0f segments/s).%n",
                s.jobId(), s.state(), s.completedSegments(), s.totalSegments(), s.manifestationId(), workers,
                took.toMillis() / 1000.0, rate);
        out.println("Completion message on the completed queue: " + completion);
        out.println();
        out.println("Example mappings (segment of " + s.manifestationId() + " -> related segments elsewhere):");
        for (TaskDetail t : examples) {
            out.println("  " + t.key().segmentId() + " " + (t.span() == null ? "" : t.span()));
            for (Mapping m : t.mappings()) {
                List<String> ids = m.segments().stream().map(Segment::id).toList();
                out.println("    " + m.manifestationId() + ": " + String.join(", ", ids));
            }
        }
        out.println();
        out.printf(Locale.ROOT, "Done in %.1f s; everything was in this process and is gone now. Next:%n",
                total.toMillis() / 1000.0);
        out.println("  ./segrel dev up --load-graph docs/examples/small-canon.cypher > dev.env   servers that stay up");
        out.println("  eval \"$(grep ^export dev.env)\"; ./segrel migrate; ./segrel worker        a worker against them");
        out.println("  ./segrel job create -m root-bo; ./segrel job status JOB --watch          a job of your own");
        out.println("  ./segrel doctor; ./segrel --help; docs/cli.md                            checks, every command");
        out.flush();
    }

    /** The completion message as a JSON tree to embed, or as the text it is when it is not JSON. */
    private static Object jsonOrText(String message) {
        try {
            return JsonReader.read(message);
        } catch (JsonException e) {
            return message;
        }
    }

    private static void step(PrintWriter err, String line) {
        err.println("segrel demo: " + line);
        err.flush();
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    private static <T> CompletableFuture<T> async(Supplier<T> start) {
        return CompletableFuture.supplyAsync(start);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Everything the demo started, stopped in reverse order whatever happens. */
    private static final class Stack implements AutoCloseable {
        final List<CompletableFuture<?>> starting = new ArrayList<>();
        volatile EmbeddedNeo4j neo4j;
        volatile EmbeddedPostgres postgres;
        volatile EmbeddedSqs sqs;
        Services services;
        final List<WorkerApp> workers = new ArrayList<>();

        void stopWorkers() {
            // stop them side by side: each waits for its tasks in flight
            List<CompletableFuture<Boolean>> stops = new ArrayList<>();
            for (WorkerApp w : workers) {
                stops.add(CompletableFuture.supplyAsync(() -> w.stop(Duration.ofSeconds(5))));
            }
            stops.forEach(CompletableFuture::join);
            workers.clear();
        }

        @Override
        public void close() {
            // a server still starting when another failed is stopped too, once up
            starting.forEach(f -> f.handle((v, e) -> null).join());
            quietly(this::stopWorkers);
            if (services != null) {
                quietly(services::close);
            }
            if (sqs != null) {
                quietly(sqs::close);
            }
            if (postgres != null) {
                quietly(postgres::close);
            }
            if (neo4j != null) {
                quietly(neo4j::close);
            }
        }

        private static void quietly(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // stopping is best effort; everything lives in temporary folders
            }
        }
    }
}
