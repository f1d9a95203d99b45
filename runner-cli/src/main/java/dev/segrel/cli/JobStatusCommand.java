package dev.segrel.cli;

import dev.segrel.core.domain.JobStatus;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.port.out.JobStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segrel job status JOB [--watch]}: a job's counts by state, its rate and ETA. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = SegrelVersion.class,
        description = {
            "Show a job's tasks by state, its rate and the time left (PostgreSQL).",
            "--watch shows a progress bar on stderr (plain lines when not at a terminal)",
            "until the job is COMPLETED or FAILED, then prints the status."
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

    @Option(names = "--json", description = "Print the status as one JSON object.")
    boolean json;

    public JobStatusCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        JobId id = JobCreateCommand.parseJobId(job);
        if (intervalMillis < 10) {
            throw new CliException(ExitCodes.USAGE, "--interval must be >= 10 ms, was " + intervalMillis);
        }
        try (Connections c = new Connections(context)) {
            TaskStore store = c.store();
            JobStatus status = find(store, id);
            if (watch && !status.state().isTerminal()) {
                try (JobProgress progress = JobProgress.on(spec.commandLine().getErr(), "job " + id, status.totalSegments())) {
                    progress.update(status);
                    while (!status.state().isTerminal()) {
                        Thread.sleep(intervalMillis);
                        status = find(store, id);
                        progress.update(status);
                    }
                }
            }
            print(status, spec.commandLine().getOut(), json);
            return ExitCodes.OK;
        }
    }

    static JobStatus find(TaskStore store, JobId id) {
        return store.jobStatus(id).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND,
                "job " + id + " not found (list jobs with 'segrel job list')"));
    }

    static void print(JobStatus s, PrintWriter out, boolean json) {
        Instant now = Instant.now();
        double rate = JobProgress.rate(s, now);
        Duration eta = JobProgress.eta(s, rate);
        if (json) {
            out.println(MappingsJson.write(toJson(s, rate, eta)));
        } else {
            int done = s.completedSegments() + s.failedSegments();
            out.printf("job %s of %s: %s, %d/%d done (%d%%)%n", s.jobId(), s.manifestationId(), s.state(), done,
                    s.totalSegments(), s.totalSegments() == 0 ? 100 : done * 100L / s.totalSegments());
            out.printf("  completed %d  failed %d  in progress %d  retrying %d  queued %d%n", s.completedSegments(),
                    s.failedSegments(), s.inProgress(), s.retrying(), s.queued());
            out.printf(Locale.ROOT, "  rate %.1f segments/s%s%n", rate, eta == null ? "" : "  ETA " + JobProgress.human(eta));
            out.printf("  created %s  updated %s%n", s.createdAt(), s.updatedAt());
        }
        out.flush();
    }

    static ObjectNode toJson(JobStatus s, double rate, Duration eta) {
        ObjectNode node = MappingsJson.MAPPER.createObjectNode();
        node.put("job_id", s.jobId().toString());
        node.put("manifestation_id", s.manifestationId());
        node.put("status", s.state().name());
        node.put("total_segments", s.totalSegments());
        node.put("completed_segments", s.completedSegments());
        node.put("failed_segments", s.failedSegments());
        node.put("in_progress", s.inProgress());
        node.put("retrying", s.retrying());
        node.put("queued", s.queued());
        node.put("created_at", String.valueOf(s.createdAt()));
        node.put("updated_at", String.valueOf(s.updatedAt()));
        node.put("rate_per_second", Math.round(rate * 100) / 100.0);
        if (eta == null) {
            node.putNull("eta_seconds");
        } else {
            node.put("eta_seconds", eta.toSeconds());
        }
        return node;
    }
}
