package dev.segrel.cli.job;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.json.JsonWriter;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.in.ReadJobs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code segrel job results}: a job's mappings in the existing {@code all-relations} shape, streamed;
 * or one page of them in the uploader's {@code segments-relations} shape.
 */
@Command(
        name = "results",
        sortOptions = false,
        description = {
            "Write a job's mappings as JSON, in the existing service's all-relations shape:",
            "  {\"manifestation_id\":\"M\",\"segments\":[{\"segment_id\":\"S\",\"mappings\":[...]}]}",
            "segments ordered by id. A segment without a result yet also has \"status\"",
            "(and \"error\" when it failed). Streamed from PostgreSQL: memory stays small",
            "whatever the job's size. Always JSON (--json is accepted and changes nothing).",
            "",
            "With --skip or --limit, one page in the shape of the uploader's",
            "GET /job/{text_id}/segments-relations?skip&limit:",
            "  {\"text_id\":\"M\",\"segments\":[{\"segment_id\":\"S\",\"mappings\":[{\"text_id\":\"T\",",
            "   \"segments\":[...]}]}],\"skip\":0,\"limit\":100,\"total\":1234}",
            "total counts the job's tasks (stored segments); pages follow the same order."
        },
        footer = {
            "",
            "Examples:",
            "  segrel job results 0b6f1c9e-… --out relations.json",
            "  segrel job results --manifestation M1 | jq '.segments | length'",
            "  segrel job results --manifestation M1 --skip 200 --limit 100",
            "  segrel job results 0b6f1c9e-… --limit 10 | jq .total",
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

    @Option(names = "--skip", paramLabel = "N",
            description = "Page: leave out the first N segments (default 0). Prints the segments-relations shape.")
    Integer skip;

    @Option(names = "--limit", paramLabel = "N",
            description = "Page: at most N segments, 1.." + ReadJobs.MAX_PAGE_LIMIT + " (default "
                    + ReadJobs.MAX_PAGE_LIMIT + "). Prints the segments-relations shape.")
    Integer limit;

    @Option(names = "--json", hidden = true)
    boolean json;

    public JobResultsCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws IOException {
        boolean paged = skip != null || limit != null;
        int from = skip == null ? 0 : skip;
        int size = limit == null ? ReadJobs.MAX_PAGE_LIMIT : limit;
        if (paged) {
            try {
                ReadJobs.Page.checkWindow(from, size);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "--" + e.getMessage());
            }
        }
        try (Services services = Services.open(context)) {
            ReadJobs jobs = services.get(ReadJobs.class);
            JobStatus job = which.job != null ? JobViews.progressOf(jobs, JobViews.parseJobId(which.job)).status()
                    : jobs.newestOf(which.manifestation).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND,
                            "no job of manifestation " + which.manifestation + " (create one with 'segrel job create"
                                    + " --manifestation " + which.manifestation + "')"));
            long[] written = new long[2];
            Body body = paged ? writer -> writePage(jobs, job, from, size, writer, written)
                    : writer -> write(jobs, job, writer, written);
            if (out == null) {
                Writer writer = spec.commandLine().getOut();
                body.writeTo(writer);
                writer.write(System.lineSeparator());
                writer.flush();
            } else {
                Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial");
                try (BufferedWriter writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    body.writeTo(writer);
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
                spec.commandLine().getErr().printf("segrel: job %s is %s: %d of %d segments %shave results%n",
                        job.jobId(), job.state(), written[1], written[0], paged ? "of the page " : "");
            }
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }
    }

    /** What goes between the opening of the output and its final newline. */
    private interface Body {
        void writeTo(Writer writer) throws IOException;
    }

    /**
     * One page, {@code {"text_id":…,"segments":[…],"skip":…,"limit":…,"total":…}}, its mappings'
     * manifestations named {@code text_id} as the uploader's endpoint names them; {@code counts} as
     * {@link #write}.
     */
    private static void writePage(ReadJobs jobs, JobStatus job, int skip, int limit, Writer writer, long[] counts)
            throws IOException {
        ReadJobs.Page page = jobs.page(job.jobId(), skip, limit).orElseThrow(() -> JobViews.notFound(job.jobId()));
        List<Object> segments = new ArrayList<>(page.tasks().size());
        for (TaskDetail task : page.tasks()) {
            segments.add(segment(task, MappingJson.ManifestationKey.TEXT_ID));
            counts[1] += task.state() == TaskState.COMPLETED ? 1 : 0;
        }
        counts[0] = segments.size();
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("text_id", page.manifestationId());
        node.put("segments", segments);
        node.put("skip", page.skip());
        node.put("limit", page.limit());
        node.put("total", page.total());
        writer.write(JsonWriter.write(node));
    }

    /**
     * Streams {@code {"manifestation_id":…,"segments":[…]}} one segment at a time; {@code counts[0]} gets
     * the segments written, {@code counts[1]} those with a result.
     */
    private static void write(ReadJobs jobs, JobStatus job, Writer writer, long[] counts) throws IOException {
        writer.write("{\"manifestation_id\":" + JsonWriter.quote(job.manifestationId()) + ",\"segments\":[");
        try {
            jobs.results(job.jobId(), task -> {
                try {
                    writer.write((counts[0] == 0 ? "" : ",")
                            + JsonWriter.write(segment(task, MappingJson.ManifestationKey.MANIFESTATION_ID)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                counts[0]++;
                counts[1] += task.state() == TaskState.COMPLETED ? 1 : 0;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writer.write("]}");
    }

    private static Map<String, Object> segment(TaskDetail task, MappingJson.ManifestationKey key) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("segment_id", task.key().segmentId());
        node.put("mappings", MappingJson.toTree(task.mappings(), key));
        if (task.state() != TaskState.COMPLETED) {
            node.put("status", task.state().name());
            if (task.error() != null) {
                node.put("error", task.error());
            }
        }
        return node;
    }
}
