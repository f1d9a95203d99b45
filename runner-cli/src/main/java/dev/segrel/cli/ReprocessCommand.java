package dev.segrel.cli;

import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.JobStatus;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.port.out.TaskStore.NothingToReprocess;
import dev.segrel.core.port.out.TaskRecovery.Reprocessed;
import dev.segrel.core.port.out.TaskDetail;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segrel reprocess}: compute tasks again (the graph changed, or they failed). */
@Command(
        name = "reprocess",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = "Compute a segment or a job again, or show what would change (--dry-run).",
        footer = ExitCodes.FOOTER)
public final class ReprocessCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (segment, job)");
    }

    /** How one segment's stored mappings differ from a fresh computation, per manifestation. */
    record Change(String manifestationId, List<String> added, List<String> removed) {}

    static List<Change> diff(List<Mapping> stored, List<Mapping> fresh) {
        Map<String, TreeSet<String>> before = ids(stored);
        Map<String, TreeSet<String>> after = ids(fresh);
        TreeSet<String> manifestations = new TreeSet<>(before.keySet());
        manifestations.addAll(after.keySet());
        List<Change> changes = new ArrayList<>();
        for (String m : manifestations) {
            TreeSet<String> added = new TreeSet<>(after.getOrDefault(m, new TreeSet<>()));
            added.removeAll(before.getOrDefault(m, new TreeSet<>()));
            TreeSet<String> removed = new TreeSet<>(before.getOrDefault(m, new TreeSet<>()));
            removed.removeAll(after.getOrDefault(m, new TreeSet<>()));
            if (!added.isEmpty() || !removed.isEmpty() || before.containsKey(m) != after.containsKey(m)) {
                changes.add(new Change(m, List.copyOf(added), List.copyOf(removed)));
            }
        }
        return changes;
    }

    private static Map<String, TreeSet<String>> ids(List<Mapping> mappings) {
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            TreeSet<String> set = out.computeIfAbsent(m.manifestationId(), k -> new TreeSet<>());
            m.segments().stream().map(Segment::id).forEach(set::add);
        }
        return out;
    }

    static ArrayNode changesJson(List<Change> changes) {
        ArrayNode array = MappingsJson.MAPPER.createArrayNode();
        for (Change c : changes) {
            ObjectNode node = array.addObject();
            node.put("manifestation_id", c.manifestationId());
            ArrayNode added = node.putArray("added");
            c.added().forEach(added::add);
            ArrayNode removed = node.putArray("removed");
            c.removed().forEach(removed::add);
        }
        return array;
    }

    static void printChanges(PrintWriter out, String indent, List<Change> changes) {
        for (Change c : changes) {
            out.printf("%s%s: +%s -%s%n", indent, c.manifestationId(), c.added(), c.removed());
        }
    }

    /** The fresh mappings of a stored task, or null when it has no span to compute from. */
    static List<Mapping> fresh(FindRelatedSegments relations, TaskDetail task) {
        if (task.span() == null) {
            return null;
        }
        return relations.mappings(new FindRelatedSegments.Query(task.manifestationId(), task.span(), RelationMode.SEGMENTATION));
    }

    static void enqueue(Connections c, List<TaskRecovery.PendingTask> tasks, int total) {
        List<TaskRequest> requests = new ArrayList<>();
        tasks.forEach(t -> requests.add(TaskMessages.request(t)));
        TaskMessages.send(c.queue(), TaskMessages.bodies(requests, 0, total), sent -> { });
    }

    /** {@code segrel reprocess segment}. */
    @Command(
            name = "segment",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            versionProvider = SegrelVersion.class,
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

        @Option(names = "--json", description = "Print the outcome (or the diff) as JSON.")
        boolean json;

        public SegmentCommand(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            if (now && dryRun) {
                throw new CliException(ExitCodes.USAGE, "--now and --dry-run exclude each other");
            }
            TaskKey key = new TaskKey(JobCreateCommand.parseJobId(job), segment);
            try (Connections c = new Connections(context)) {
                TaskStore store = c.store();
                TaskDetail task = store.task(key).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND,
                        "task " + key + " not found (no such job, or the job has no segment '" + segment + "')"));
                if (dryRun) {
                    return dryRun(c, task);
                }
                if (!now) {
                    c.queue(); // a missing SQS_QUEUE_URL fails before anything is reset
                }
                Instant at = Instant.now();
                Reprocessed reset = switch (store.reprocessTask(key, at)) {
                    case Reprocessed r -> r;
                    case NothingToReprocess n -> throw new CliException(ExitCodes.NOT_FOUND, "task " + key + " not found");
                };
                PrintWriter out = spec.commandLine().getOut();
                ObjectNode node = MappingsJson.MAPPER.createObjectNode();
                node.put("job_id", key.jobId().toString());
                node.put("segment_id", segment);
                if (now) {
                    ProcessTask process = SegmentRelations.processTask(store, c.graph(), RetryPolicy.DEFAULT,
                            Duration.ofMinutes(5), Clock.systemUTC());
                    ProcessTask.Outcome outcome = process.process(
                            new ProcessTask.Command(key, task.span(), "segrel-cli-reprocess"));
                    node.put("mode", "now");
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
                    print(out, node, line);
                    return outcome instanceof ProcessTask.Done || outcome instanceof ProcessTask.AlreadyDone
                            ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
                }
                enqueue(c, reset.tasks(), 1);
                node.put("mode", "queued");
                node.put("messages", reset.tasks().size());
                print(out, node, "re-enqueued " + key + " (was " + task.state() + ")");
                return ExitCodes.OK;
            }
        }

        private void print(PrintWriter out, ObjectNode node, String line) {
            out.println(json ? MappingsJson.write(node) : line);
            out.flush();
        }

        private int dryRun(Connections c, TaskDetail task) {
            List<Mapping> fresh = fresh(SegmentRelations.over(c.graph()), task);
            if (fresh == null) {
                throw new CliException(ExitCodes.USAGE, "task " + task.key() + " has no stored span: it cannot be"
                        + " computed before a worker has seen its message");
            }
            List<Change> changes = diff(task.state() == TaskState.COMPLETED ? task.mappings() : List.of(), fresh);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode node = MappingsJson.MAPPER.createObjectNode();
                node.put("job_id", task.key().jobId().toString());
                node.put("segment_id", task.key().segmentId());
                node.put("state", task.state().name());
                node.put("changed", !changes.isEmpty());
                node.set("changes", changesJson(changes));
                node.set("fresh", MappingsJson.toJson(fresh));
                out.println(MappingsJson.write(node));
            } else if (changes.isEmpty()) {
                out.println("no change: the stored result of " + task.key() + " (" + task.state()
                        + ") matches a fresh computation (dry run, nothing written)");
            } else {
                out.println(task.key() + " (" + task.state() + ") would change (dry run, nothing written):");
                printChanges(out, "  ", changes);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code segrel reprocess job}. */
    @Command(
            name = "job",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            versionProvider = SegrelVersion.class,
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

        @Option(names = "--json", description = "Print the outcome (or the diff) as JSON.")
        boolean json;

        public JobCommand(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            JobId id = JobCreateCommand.parseJobId(job);
            try (Connections c = new Connections(context)) {
                TaskStore store = c.store();
                JobStatus status = JobStatusCommand.find(store, id);
                if (dryRun) {
                    return dryRun(c, id);
                }
                c.queue();
                PrintWriter out = spec.commandLine().getOut();
                return switch (store.reprocessJob(id, failedOnly, Instant.now())) {
                    case NothingToReprocess n -> {
                        out.println(json ? "{\"job_id\":\"" + id + "\",\"reprocessed\":0}"
                                : "nothing to reprocess: job " + id + " has no " + (failedOnly ? "FAILED " : "") + "task");
                        out.flush();
                        yield ExitCodes.OK;
                    }
                    case Reprocessed r -> {
                        enqueue(c, r.tasks(), status.totalSegments());
                        out.println(json ? "{\"job_id\":\"" + id + "\",\"reprocessed\":" + r.tasks().size() + "}"
                                : "re-enqueued " + r.tasks().size() + " task(s) of job " + id
                                        + "; follow it with 'segrel job status " + id + " --watch'");
                        out.flush();
                        yield ExitCodes.OK;
                    }
                };
            }
        }

        private int dryRun(Connections c, JobId id) {
            FindRelatedSegments relations = SegmentRelations.over(c.graph());
            int[] counts = new int[3]; // checked, changed, without span
            List<ObjectNode> changed = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            c.store().forEachTask(id, task -> {
                if (failedOnly && task.state() != TaskState.FAILED) {
                    return;
                }
                List<Mapping> fresh = fresh(relations, task);
                if (fresh == null) {
                    counts[2]++;
                    return;
                }
                counts[0]++;
                List<Change> changes = diff(task.state() == TaskState.COMPLETED ? task.mappings() : List.of(), fresh);
                if (changes.isEmpty()) {
                    return;
                }
                counts[1]++;
                if (json) {
                    ObjectNode node = MappingsJson.MAPPER.createObjectNode();
                    node.put("segment_id", task.key().segmentId());
                    node.put("state", task.state().name());
                    node.set("changes", changesJson(changes));
                    changed.add(node);
                } else if (lines.size() < SHOWN) {
                    lines.add("  " + task.key().segmentId() + " (" + task.state() + "):");
                    for (Change ch : changes) {
                        lines.add("    " + ch.manifestationId() + ": +" + ch.added() + " -" + ch.removed());
                    }
                }
            });
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode root = MappingsJson.MAPPER.createObjectNode();
                root.put("job_id", id.toString());
                root.put("checked", counts[0]);
                root.put("changed", counts[1]);
                root.put("without_span", counts[2]);
                ArrayNode segmentsNode = root.putArray("segments");
                changed.forEach(segmentsNode::add);
                out.println(MappingsJson.write(root));
            } else {
                out.printf("dry run of job %s (nothing written): %d segment(s) checked, %d would change%s%n", id,
                        counts[0], counts[1], counts[2] == 0 ? "" : ", " + counts[2] + " without a stored span skipped");
                lines.forEach(out::println);
                if (counts[1] > SHOWN) {
                    out.printf("  … and %d more (--json lists them all)%n", counts[1] - SHOWN);
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
