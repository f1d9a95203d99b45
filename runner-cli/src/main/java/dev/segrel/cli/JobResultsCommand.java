package dev.segrel.cli;

import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.JobQuery;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.port.out.JobQuery;
import dev.segrel.core.port.out.JobStatus;
import dev.segrel.core.port.out.TaskDetail;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segrel job results}: a job's mappings in the existing {@code all-relations} shape, streamed. */
@Command(
        name = "results",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = SegrelVersion.class,
        description = {
            "Write a job's mappings as JSON, in the existing service's all-relations shape:",
            "  {\"manifestation_id\":\"M\",\"segments\":[{\"segment_id\":\"S\",\"mappings\":[...]}]}",
            "segments ordered by id. A segment without a result yet also has \"status\"",
            "(and \"error\" when it failed). Streamed from PostgreSQL: memory stays small",
            "whatever the job's size. Always JSON (--json is accepted and changes nothing)."
        },
        footer = {
            "",
            "Examples:",
            "  segrel job results 0b6f1c9e-… --out relations.json",
            "  segrel job results --manifestation M1 | jq '.segments | length'",
            ExitCodes.FOOTER
        })
public final class JobResultsCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "JOB", description = "The job's id.")
        String job;

        @Option(names = {"-m", "--manifestation"}, paramLabel = "ID",
                description = "The newest COMPLETED job of this manifestation (else its newest job).")
        String manifestation;
    }

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE (replaced when complete) instead of stdout.")
    Path out;

    @Option(names = "--json", hidden = true)
    boolean json;

    public JobResultsCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws IOException {
        try (Connections c = new Connections(context)) {
            TaskStore store = c.store();
            JobStatus job = which.job != null ? JobStatusCommand.find(store, JobCreateCommand.parseJobId(which.job))
                    : newestOf(store, which.manifestation);
            long[] written = new long[2];
            if (out == null) {
                Writer writer = spec.commandLine().getOut();
                write(store, job, writer, written);
                writer.write(System.lineSeparator());
                writer.flush();
            } else {
                Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial");
                try (BufferedWriter writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    write(store, job, writer, written);
                    writer.newLine();
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tmp);
                    if (e instanceof IOException io) {
                        throw new CliException(ExitCodes.USAGE, "cannot write " + out + ": " + io.getMessage(), io);
                    }
                    throw e;
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                spec.commandLine().getErr().printf("segrel: wrote %d segments of job %s to %s%n", written[0], job.jobId(), out);
            }
            if (job.state() != JobState.COMPLETED) {
                spec.commandLine().getErr().printf("segrel: job %s is %s: %d of %d segments have results%n",
                        job.jobId(), job.state(), written[1], written[0]);
            }
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }
    }

    private static JobStatus newestOf(TaskStore store, String manifestation) {
        List<JobStatus> completed = store.listJobs(new JobQuery(JobState.COMPLETED, manifestation, 1));
        if (!completed.isEmpty()) {
            return completed.get(0);
        }
        List<JobStatus> any = store.listJobs(new JobQuery(null, manifestation, 1));
        if (any.isEmpty()) {
            throw new CliException(ExitCodes.NOT_FOUND, "no job of manifestation " + manifestation
                    + " (create one with 'segrel job create --manifestation " + manifestation + "')");
        }
        return any.get(0);
    }

    /** Streams the document; {@code counts[0]} gets the segments written, {@code counts[1]} those with a result. */
    private static void write(TaskStore store, JobStatus job, Writer writer, long[] counts) throws IOException {
        JsonGenerator g = MappingsJson.MAPPER.getFactory().createGenerator(writer);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("manifestation_id", job.manifestationId());
        g.writeArrayFieldStart("segments");
        try {
            store.forEachTask(job.jobId(), task -> {
                try {
                    writeSegment(g, task);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                counts[0]++;
                counts[1] += task.state() == TaskState.COMPLETED ? 1 : 0;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
    }

    private static void writeSegment(JsonGenerator g, TaskDetail task) throws IOException {
        g.writeStartObject();
        g.writeStringField("segment_id", task.key().segmentId());
        g.writeArrayFieldStart("mappings");
        for (Mapping m : task.mappings()) {
            g.writeStartObject();
            g.writeStringField("manifestation_id", m.manifestationId());
            g.writeArrayFieldStart("segments");
            for (Segment s : m.segments()) {
                g.writeStartObject();
                g.writeStringField("segment_id", s.id());
                g.writeObjectFieldStart("span");
                g.writeNumberField("start", s.span().start());
                g.writeNumberField("end", s.span().end());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        if (task.state() != TaskState.COMPLETED) {
            g.writeStringField("status", task.state().name());
            if (task.error() != null) {
                g.writeStringField("error", task.error());
            }
        }
        g.writeEndObject();
    }
}
