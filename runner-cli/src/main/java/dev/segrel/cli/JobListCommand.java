package dev.segrel.cli;

import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.JobQuery;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.port.out.JobQuery;
import dev.segrel.core.port.out.JobStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code segrel job list}: the newest jobs, optionally of one state or manifestation. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = SegrelVersion.class,
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

    @Option(names = "--json", description = "Print a JSON array of job statuses.")
    boolean json;

    public JobListCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CliException(ExitCodes.USAGE, "--limit must be >= 1, was " + limit);
        }
        try (Connections c = new Connections(context)) {
            List<JobStatus> jobs = c.store().listJobs(new JobQuery(status, manifestation, limit));
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            if (json) {
                ArrayNode array = MappingsJson.MAPPER.createArrayNode();
                for (JobStatus s : jobs) {
                    double rate = JobProgress.rate(s, now);
                    array.add(JobStatusCommand.toJson(s, rate, JobProgress.eta(s, rate)));
                }
                out.println(MappingsJson.write(array));
            } else if (jobs.isEmpty()) {
                out.println("No job" + (status == null ? "" : " is " + status)
                        + (manifestation == null ? "" : " of manifestation " + manifestation) + ".");
            } else {
                int width = Math.max("MANIFESTATION".length(),
                        jobs.stream().mapToInt(j -> j.manifestationId().length()).max().orElse(0));
                String row = "%-36s  %-" + width + "s  %-11s  %15s  %6s  %s%n";
                out.printf(row, "JOB", "MANIFESTATION", "STATUS", "DONE/TOTAL", "FAILED", "CREATED");
                for (JobStatus s : jobs) {
                    out.printf(Locale.ROOT, row, s.jobId(), s.manifestationId(), s.state(),
                            (s.completedSegments() + s.failedSegments()) + "/" + s.totalSegments(), s.failedSegments(),
                            s.createdAt());
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
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
