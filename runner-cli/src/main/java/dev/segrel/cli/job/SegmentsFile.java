package dev.segrel.cli.job;

import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.json.JsonException;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.domain.Span;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The segments of {@code job create --from-file}: JSON lines {@code {"segment_id":"S","start":0,"end":10}}
 * or {@code {"segment_id":"S","span":{"start":0,"end":10}}}, each optionally naming its
 * {@code "manifestation_id"} (all the same one); blank lines skipped. The whole file is checked
 * before anything is created: the first bad line is a usage error naming its number.
 */
final class SegmentsFile {

    /**
     * The file's segments, the manifestation its lines name (empty when none does) and the first
     * line that names none (0 when every line does).
     */
    record Contents(Optional<String> manifestation, List<NewTask> tasks, int firstUnnamedLine) {}

    private SegmentsFile() {}

    static Contents read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException(ExitCodes.USAGE, "cannot read segments file " + file + ": "
                    + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        List<NewTask> tasks = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String manifestation = null;
        int manifestationLine = 0;
        int firstUnnamedLine = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Map<?, ?> node = object(line, file, number);
                NewTask task = task(node, file, number);
                Optional<String> named = manifestationOf(node, file, number);
                if (named.isEmpty() && firstUnnamedLine == 0) {
                    firstUnnamedLine = number;
                } else if (named.isPresent()) {
                    if (manifestation == null) {
                        manifestation = named.get();
                        manifestationLine = number;
                    } else if (!manifestation.equals(named.get())) {
                        throw bad(file, number, "names manifestation '" + named.get() + "', line " + manifestationLine
                                + " names '" + manifestation + "': a job is of one manifestation");
                    }
                }
                Integer first = lineOf.putIfAbsent(task.segmentId(), number);
                if (first != null) {
                    throw bad(file, number, "segment '" + task.segmentId() + "' is listed already on line " + first);
                }
                tasks.add(task);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read segments file " + file + ": " + e.getMessage(), e);
        }
        if (tasks.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "segments file " + file + " lists no segment: nothing to do");
        }
        return new Contents(Optional.ofNullable(manifestation), List.copyOf(tasks), firstUnnamedLine);
    }

    private static Map<?, ?> object(String line, Path file, int number) {
        Object node;
        try {
            node = JsonReader.read(line);
        } catch (JsonException e) {
            throw bad(file, number, "not JSON (" + e.getMessage() + ")");
        }
        if (!(node instanceof Map<?, ?> object)) {
            throw bad(file, number, "not a JSON object");
        }
        return object;
    }

    private static Optional<String> manifestationOf(Map<?, ?> node, Path file, int number) {
        Object m = node.get("manifestation_id");
        if (m == null) {
            return Optional.empty();
        }
        if (!(m instanceof String text) || text.isEmpty()) {
            throw bad(file, number, "\"manifestation_id\" must be a non-empty string");
        }
        return Optional.of(text);
    }

    private static NewTask task(Map<?, ?> node, Path file, int number) {
        if (!(node.get("segment_id") instanceof String id) || id.isEmpty()) {
            throw bad(file, number, "\"segment_id\" must be a non-empty string");
        }
        Object holder = node.containsKey("span") ? node.get("span") : node;
        if (!(holder instanceof Map<?, ?> span)) {
            throw bad(file, number, "\"span\" must be an object {\"start\":N,\"end\":N}");
        }
        if (!(span.get("start") instanceof Long start) || !(span.get("end") instanceof Long end)
                || start != start.intValue() || end != end.intValue()) {
            throw bad(file, number, "needs integer \"start\" and \"end\" (or \"span\":{\"start\":N,\"end\":N})");
        }
        try {
            return new NewTask(id, new Span(start.intValue(), end.intValue()));
        } catch (IllegalArgumentException e) {
            throw bad(file, number, "invalid span: " + e.getMessage());
        }
    }

    private static CliException bad(Path file, int line, String why) {
        return new CliException(ExitCodes.USAGE, file + " line " + line + ": " + why + "; nothing was created");
    }
}
