package dev.segrel.cli.job;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.port.in.ReadJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code segrel job list}: the newest jobs, optionally of one state or manifestation. */
@Command(
        name = "list",
        sortOptions = false,
        description = "List jobs, newest first, with their progress (PostgreSQL).",
        footer = {
            "",
            "Examples:",
            "  segrel job list",
            "  segrel job list --status IN_PROGRESS",
            "  segrel job list --manifestation M1 --json",
            ExitCodes.FOOTER
        })
public final class JobListCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--status", paramLabel = "STATE", converter = StateConverter.class,
            completionCandidates = StateCandidates.class,
            description = "Only jobs in this state: QUEUED, IN_PROGRESS, COMPLETED or FAILED.")
    JobState status;

    @Option(names = {"-m", "--manifestation"}, paramLabel = "ID", description = "Only jobs of this manifestation.")
    String manifestation;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most N jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    JsonOutput json;

    public JobListCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CliException(ExitCodes.USAGE, "--limit must be >= 1, was " + limit);
        }
        try (Services services = Services.open(context)) {
            ReadJobs jobs = services.get(ReadJobs.class);
            List<JobStatus> found = jobs.list(new JobQuery(status, manifestation, limit));
            List<Object> document = new ArrayList<>();
            for (JobStatus s : found) {
                document.add(JobViews.toJson(jobs.paceOf(s)));
            }
            json.print(spec.commandLine().getOut(), document, text(found));
            return ExitCodes.OK;
        }
    }

    private String text(List<JobStatus> jobs) {
        if (jobs.isEmpty()) {
            return "No job" + (status == null ? "" : " is " + status)
                    + (manifestation == null ? "" : " of manifestation " + manifestation) + ".";
        }
        int width = Math.max("MANIFESTATION".length(),
                jobs.stream().mapToInt(j -> j.manifestationId().length()).max().orElse(0));
        String row = "%-36s  %-" + width + "s  %-11s  %15s  %6s  %s";
        StringBuilder out = new StringBuilder(String.format(row, "JOB", "MANIFESTATION", "STATUS", "DONE/TOTAL",
                "FAILED", "CREATED"));
        for (JobStatus s : jobs) {
            out.append(System.lineSeparator()).append(String.format(Locale.ROOT, row, s.jobId(), s.manifestationId(),
                    s.state(), s.done() + "/" + s.totalSegments(), s.failedSegments(), s.createdAt()));
        }
        return out.toString();
    }

    static final class StateConverter implements ITypeConverter<JobState> {
        @Override
        public JobState convert(String value) {
            try {
                return JobState.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("state must be QUEUED, IN_PROGRESS, COMPLETED or FAILED, was '" + value + "'");
            }
        }
    }

    static final class StateCandidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("QUEUED", "IN_PROGRESS", "COMPLETED", "FAILED").iterator();
        }
    }
}
