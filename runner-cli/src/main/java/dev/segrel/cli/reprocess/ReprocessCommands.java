package dev.segrel.cli.reprocess;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.CommandGroup;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.job.JobViews;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.MappingDiff;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ReprocessTasks;
import dev.segrel.core.port.in.ReprocessTasks.Mode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segrel reprocess}: compute tasks again (the graph changed, or they failed). */
@Command(
        name = "reprocess",
        description = "Compute a segment or a job again, or show what would change (--dry-run).",
        footer = ExitCodes.FOOTER)
public final class ReprocessCommands extends CommandGroup {

    /** {@code segrel reprocess segment}. */
    @Command(
            name = "segment",
            sortOptions = false,
            description = {
                "Compute one segment of a job again. By default its task is reset to QUEUED and",
                "a message is sent to the task queue for a worker; --now computes and stores it",
                "in this process instead. --dry-run computes it and prints how the result would",
                "differ from the stored one (segments added/removed per manifestation), and",
                "writes nothing."
            },
            footer = {
                "",
                "Examples:",
                "  segrel reprocess segment --job 0b6f… --segment S12 --dry-run",
                "  segrel reprocess segment --job 0b6f… --segment S12 --now",
                ExitCodes.FOOTER
            })
    public static final class SegmentCommand implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--job", paramLabel = "JOB", required = true, description = "The job's id.")
        String job;

        @Option(names = "--segment", paramLabel = "ID", required = true, description = "The segment's id.")
        String segment;

        @Option(names = "--now", description = "Compute and store it in this process, not through the queue.")
        boolean now;

        @Option(names = "--dry-run", description = "Only show what would change; write nothing.")
        boolean dryRun;

        @Mixin
        JsonOutput json;

        public SegmentCommand(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            if (now && dryRun) {
                throw new CliException(ExitCodes.USAGE, "--now and --dry-run exclude each other");
            }
            TaskKey key = new TaskKey(JobViews.parseJobId(job), segment);
            Mode mode = dryRun ? Mode.DRY_RUN : now ? Mode.NOW : Mode.QUEUE;
            try (Services services = Services.open(context)) {
                return switch (services.get(ReprocessTasks.class).segment(key, mode)) {
                    case ReprocessTasks.UnknownTask unknown -> throw new CliException(ExitCodes.NOT_FOUND, "task " + key
                            + " not found (no such job, or the job has no segment '" + segment + "')");
                    case ReprocessTasks.NoSpan noSpan -> throw new CliException(ExitCodes.USAGE, "task " + key
                            + " has no stored span: it cannot be computed before a worker has seen its message");
                    case ReprocessTasks.SegmentDryRun dry -> printDryRun(dry);
                    case ReprocessTasks.Requeued requeued -> {
                        Map<String, Object> node = outcome(key, "queued");
                        node.put("messages", requeued.messages());
                        json.print(out(), node, "re-enqueued " + key + " (was " + requeued.was() + ")");
                        yield ExitCodes.OK;
                    }
                    case ReprocessTasks.ComputedHere here -> printComputed(key, here.outcome());
                };
            }
        }

        private int printComputed(TaskKey key, ProcessTask.Outcome outcome) {
            Map<String, Object> node = outcome(key, "now");
            node.put("outcome", outcome.getClass().getSimpleName());
            String line = switch (outcome) {
                case ProcessTask.Done d -> "computed " + key + ": " + d.mappings() + " mappings stored"
                        + (d.jobFinished() ? "; the job is finished" : "");
                case ProcessTask.AlreadyDone d -> "nothing to do for " + key + ": " + d.why();
                case ProcessTask.RetryLater r -> "could not compute " + key + " now (" + r.reason()
                        + "); it is QUEUED and a worker will take it";
                case ProcessTask.Failed f -> "computing " + key + " failed: " + f.reason();
                case ProcessTask.Rejected r -> "cannot compute " + key + ": " + r.reason();
            };
            json.print(out(), node, line);
            return outcome.acknowledge() ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
        }

        private int printDryRun(ReprocessTasks.SegmentDryRun dry) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("job_id", dry.key().jobId().toString());
            node.put("segment_id", dry.key().segmentId());
            node.put("state", dry.state().name());
            node.put("changed", !dry.diff().isEmpty());
            node.put("changes", changesJson(dry.diff()));
            node.put("fresh", MappingJson.toTree(dry.fresh()));
            String text = dry.diff().isEmpty()
                    ? "no change: the stored result of " + dry.key() + " (" + dry.state()
                            + ") matches a fresh computation (dry run, nothing written)"
                    : dry.key() + " (" + dry.state() + ") would change (dry run, nothing written):"
                            + System.lineSeparator() + changesText("  ", dry.diff());
            json.print(out(), node, text);
            return ExitCodes.OK;
        }

        private Map<String, Object> outcome(TaskKey key, String mode) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("job_id", key.jobId().toString());
            node.put("segment_id", key.segmentId());
            node.put("mode", mode);
            return node;
        }

        private PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    /** {@code segrel reprocess job}. */
    @Command(
            name = "job",
            sortOptions = false,
            description = {
                "Compute every task of a job again (or only its FAILED ones): the tasks are",
                "reset to QUEUED, the job's counts corrected, and one message per task sent to",
                "the task queue; the job announces its completion again when done.",
                "--dry-run computes them here and prints which segments would change."
            },
            footer = {
                "",
                "Examples:",
                "  segrel reprocess job 0b6f… --failed-only",
                "  segrel reprocess job 0b6f… --dry-run --json",
                ExitCodes.FOOTER
            })
    public static final class JobCommand implements Callable<Integer> {
        private static final int SHOWN = 20;

        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "JOB", description = "The job's id.")
        String job;

        @Option(names = "--failed-only", description = "Only the job's FAILED tasks.")
        boolean failedOnly;

        @Option(names = "--dry-run", description = "Only show what would change; write nothing.")
        boolean dryRun;

        @Mixin
        JsonOutput json;

        public JobCommand(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            JobId id = JobViews.parseJobId(job);
            List<Object> changed = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            try (Services services = Services.open(context)) {
                ReprocessTasks.JobResult result = services.get(ReprocessTasks.class).job(id, failedOnly, dryRun, c -> {
                    Map<String, Object> node = new LinkedHashMap<>();
                    node.put("segment_id", c.segmentId());
                    node.put("state", c.state().name());
                    node.put("changes", changesJson(c.diff()));
                    changed.add(node);
                    if (lines.size() < SHOWN) {
                        lines.add("  " + c.segmentId() + " (" + c.state() + "):" + System.lineSeparator()
                                + changesText("    ", c.diff()));
                    }
                });
                PrintWriter out = spec.commandLine().getOut();
                switch (result) {
                    case ReprocessTasks.UnknownJob unknown -> throw JobViews.notFound(id);
                    case ReprocessTasks.NothingToReprocess none -> json.print(out, reprocessed(id, 0),
                            "nothing to reprocess: job " + id + " has no " + (failedOnly ? "FAILED " : "") + "task");
                    case ReprocessTasks.JobRequeued requeued -> json.print(out, reprocessed(id, requeued.tasks()),
                            "re-enqueued " + requeued.tasks() + " task(s) of job " + id
                                    + "; follow it with 'segrel job status " + id + " --watch'");
                    case ReprocessTasks.JobDryRun dry -> {
                        Map<String, Object> root = new LinkedHashMap<>();
                        root.put("job_id", id.toString());
                        root.put("checked", dry.checked());
                        root.put("changed", dry.changed());
                        root.put("without_span", dry.withoutSpan());
                        root.put("segments", changed);
                        StringBuilder text = new StringBuilder(String.format(
                                "dry run of job %s (nothing written): %d segment(s) checked, %d would change%s", id,
                                dry.checked(), dry.changed(), dry.withoutSpan() == 0 ? ""
                                        : ", " + dry.withoutSpan() + " without a stored span skipped"));
                        lines.forEach(l -> text.append(System.lineSeparator()).append(l));
                        if (dry.changed() > SHOWN) {
                            text.append(System.lineSeparator()).append(String.format(
                                    "  … and %d more (--json lists them all)", dry.changed() - SHOWN));
                        }
                        json.print(out, root, text.toString());
                    }
                }
                return ExitCodes.OK;
            }
        }
    }

    private static Map<String, Object> reprocessed(JobId id, int tasks) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("job_id", id.toString());
        node.put("reprocessed", tasks);
        return node;
    }

    static List<Object> changesJson(MappingDiff diff) {
        List<Object> array = new ArrayList<>();
        for (MappingDiff.Change c : diff.changes()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("manifestation_id", c.manifestationId());
            node.put("added", c.added());
            node.put("removed", c.removed());
            array.add(node);
        }
        return array;
    }

    static String changesText(String indent, MappingDiff diff) {
        List<String> lines = new ArrayList<>();
        for (MappingDiff.Change c : diff.changes()) {
            lines.add(indent + c.manifestationId() + ": +" + c.added() + " -" + c.removed());
        }
        return String.join(System.lineSeparator(), lines);
    }
}
