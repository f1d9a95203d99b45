package dev.segrel.cli.job;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.output.Progress;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.port.in.ReadJobs;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresCountChecks;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segrel job status JOB [--watch]}: a job's counts by state, its rate and ETA. */
@Command(
        name = "status",
        sortOptions = false,
        description = {
            "Show a job's tasks by state, its rate and the time left (PostgreSQL).",
            "--watch shows a progress bar on stderr (plain lines when not at a terminal)",
            "until the job is COMPLETED or FAILED, then prints the status.",
            "A job whose total_segments differs from its task rows gets a warning line",
            "(JSON: \"count_mismatch\": {\"total_segments\",\"task_rows\"}, else null)."
        },
        footer = {
            "",
            "Examples:",
            "  segrel job status 0b6f1c9e-…",
            "  segrel job status 0b6f1c9e-… --watch",
            "  segrel job status 0b6f1c9e-… --json | jq .completed_segments",
            ExitCodes.FOOTER
        })
public final class JobStatusCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job's id (a UUID).")
    String job;

    @Option(names = "--watch", description = "Follow the job until it is COMPLETED or FAILED.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
            description = "With --watch: milliseconds between looks (default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Mixin
    JsonOutput json;

    public JobStatusCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        JobId id = JobViews.parseJobId(job);
        if (intervalMillis < 10) {
            throw new CliException(ExitCodes.USAGE, "--interval must be >= 10 ms, was " + intervalMillis);
        }
        try (Services services = Services.open(context)) {
            ReadJobs jobs = services.get(ReadJobs.class);
            ReadJobs.Progress progress = JobViews.progressOf(jobs, id);
            if (watch && !progress.status().state().isTerminal()) {
                try (Progress bar = Progress.on(spec.commandLine().getErr(), "job " + id,
                        progress.status().totalSegments())) {
                    bar.update(progress.status());
                    while (!progress.status().state().isTerminal()) {
                        Thread.sleep(intervalMillis);
                        progress = JobViews.progressOf(jobs, id);
                        bar.update(progress.status());
                    }
                }
            }
            Optional<PostgresCountChecks.CountMismatch> mismatch = services.get(Postgres.class).countChecks().of(id);
            long stuck = services.get(Postgres.class).outbox().stuckOf(id);
            Map<String, Object> node = new LinkedHashMap<>(JobViews.toJson(progress));
            node.put("count_mismatch", mismatch.map(m -> {
                Map<String, Object> counts = new LinkedHashMap<>();
                counts.put("total_segments", m.totalSegments());
                counts.put("task_rows", m.taskRows());
                return counts;
            }).orElse(null));
            node.put("stuck_completion_messages", stuck);
            json.print(spec.commandLine().getOut(), node, text(progress) + mismatch.map(m -> String.format(Locale.ROOT,
                    "%n  warning: total_segments is %d but the job has %d task row(s)%s", m.totalSegments(), m.taskRows(),
                    m.taskRows() < m.totalSegments() ? ": it cannot finish as it is (see 'segrel doctor')" : ""))
                    .orElse("") + (stuck == 0 ? ""
                    : String.format(Locale.ROOT, "%n  %d completion message(s) stuck in the outbox: see 'segrel doctor'",
                            stuck)));
            return ExitCodes.OK;
        }
    }

    private static String text(ReadJobs.Progress progress) {
        JobStatus s = progress.status();
        int done = s.done();
        return String.format(Locale.ROOT, "job %s of %s: %s, %d/%d done (%d%%)%n"
                        + "  completed %d  failed %d  in progress %d  retrying %d  queued %d%n"
                        + "  rate %.1f segments/s%s%n"
                        + "  created %s  updated %s",
                s.jobId(), s.manifestationId(), s.state(), done, s.totalSegments(),
                s.totalSegments() == 0 ? 100 : done * 100L / s.totalSegments(),
                s.completedSegments(), s.failedSegments(), s.inProgress(), s.retrying(), s.queued(),
                progress.ratePerSecond(), progress.eta().map(eta -> "  ETA " + Progress.human(eta)).orElse(""),
                s.createdAt(), s.updatedAt());
    }
}
