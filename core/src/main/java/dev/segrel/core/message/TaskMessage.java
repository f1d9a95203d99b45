package dev.segrel.core.message;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.EnvironmentName;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.json.JsonException;
import dev.segrel.core.json.JsonLimits;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.json.JsonWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The task message bodies producers send (single-segment and batch): parsing both formats into {@link TaskRequest}s, and
 * rendering them for producers.
 *
 * <p><b>Formats.</b> A body with a {@code job_id} member is in the <i>single</i> format
 * {@code {"job_id","manifestation_id","segment_id","start","end"}}; otherwise one with
 * {@code root_job_id} is in the <i>batch</i> format {@code {"root_job_id","text_id",
 * "segments":[{"segment_id","span":{"start","end"}}], ...}}. Unknown members are ignored.
 * The batch format's {@code batch_number} and {@code total_segments} (optional integers),
 * {@code source_environment} (the graph to search) and {@code destination_environment} (where the
 * downstream consumer posts the results) make its {@link Batch}; an environment must be a plain
 * identifier, else the body is poison (graphs match it case-insensitively; messages echo it as
 * sent). An older producer named the list {@code segment_ids}; that name is read too.
 *
 * <p><b>Spans.</b> In the single format {@code start} and {@code end} are required together: when
 * both are absent (or {@code null}) the request's span is {@code null} and the span stored with the
 * task is used; when only one is given the body is poison. Likewise in the batch format a segment
 * without {@code span} (or with {@code "span": null}) has a {@code null} span, and a given span must
 * have both ends. A span must satisfy {@code 0 <= start < end}. Numbers must be integers in the int
 * range; an integral value written with a fraction or exponent ({@code 10.0}, {@code 1e2}) counts
 * as that integer (Python producers may send floats).
 *
 * <p><b>Poison.</b> Anything else is a {@link Poison} whose reason is one line naming the field
 * (e.g. {@code segments[2].span.end must be an integer, was string}). Reasons quote at most a short,
 * escaped excerpt of a bad value, so they are safe to log and to store. Ids are strings of 1 to
 * {@value #MAX_ID_CHARS} characters without control characters (which PostgreSQL text columns
 * cannot all store); a job id must be a UUID. Bodies over {@value #MAX_BODY_CHARS} characters,
 * nested deeper than {@value #MAX_DEPTH} levels, or with duplicate member names are poison.
 *
 * <p>Stateless and thread-safe.
 */
public final class TaskMessage {

    /** Longest accepted body: SQS's largest message (1 MiB), in chars. */
    public static final int MAX_BODY_CHARS = 1 << 20;

    /** Deepest accepted nesting; the formats need 4. */
    public static final int MAX_DEPTH = 16;

    /** Longest accepted id. */
    public static final int MAX_ID_CHARS = 1000;

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final JsonReader READER = JsonReader.withLimits(new JsonLimits(MAX_BODY_CHARS, MAX_DEPTH));

    private TaskMessage() {}

    /** What a body says: the requests it carries, or why it is poison. */
    public sealed interface ParseResult permits Parsed, Poison {}

    /**
     * A valid body; never empty.
     *
     * @param batch the batch a batch-format body carries, or null for the single format
     */
    public record Parsed(List<TaskRequest> requests, Batch batch) implements ParseResult {
        public Parsed {
            requests = List.copyOf(requireNonNull(requests, "requests is null"));
            if (requests.isEmpty()) {
                throw new IllegalArgumentException("requests is empty");
            }
        }

        public Parsed(List<TaskRequest> requests) {
            this(requests, null);
        }

        /** The body's {@code source_environment} (selecting the graph), or null. */
        public String environment() {
            return batch == null ? null : batch.sourceEnvironment();
        }
    }

    /** A body that can never be processed: dead-letter it with {@code reason}, never retry it. */
    public record Poison(String reason) implements ParseResult {
        public Poison {
            requireNonNull(reason, "reason is null");
        }
    }

    /** Parses a body; never throws (a {@code null} body is poison too). */
    public static ParseResult parse(String body) {
        if (body == null) {
            return new Poison("body is null");
        }
        if (body.length() > MAX_BODY_CHARS) {
            return new Poison("body is " + body.length() + " characters, over the limit of " + MAX_BODY_CHARS);
        }
        Object tree;
        try {
            tree = READER.parse(body);
        } catch (JsonException e) {
            return new Poison("not JSON: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> object)) {
            return new Poison("body must be a JSON object, was " + typeOf(tree));
        }
        try {
            if (object.containsKey("job_id")) {
                return new Parsed(List.of(single(object)));
            }
            if (object.containsKey("root_job_id")) {
                List<TaskRequest> requests = batch(object);
                Batch batch = new Batch(requests.get(0).jobId(), requests.get(0).manifestationId(),
                        optionalInteger(object, "batch_number"), optionalInteger(object, "total_segments"),
                        requests.stream().map(TaskRequest::segmentId).toList(),
                        environment(object, "source_environment"), environment(object, "destination_environment"));
                return new Parsed(requests, batch);
            }
            return new Poison("neither job_id (single format) nor root_job_id (batch format) is present");
        } catch (Bad bad) {
            return new Poison(bad.getMessage());
        }
    }

    // ------------------------------------------------------------------------------ reading

    private static TaskRequest single(Map<?, ?> o) {
        JobId jobId = jobId(o, "job_id");
        String manifestationId = id(o, "manifestation_id", "manifestation_id");
        String segmentId = id(o, "segment_id", "segment_id");
        Span span = span(o, "");
        return new TaskRequest(jobId, manifestationId, segmentId, span);
    }

    private static List<TaskRequest> batch(Map<?, ?> o) {
        JobId jobId = jobId(o, "root_job_id");
        String manifestationId = id(o, "text_id", "text_id");
        // an older producer named the list segment_ids (same objects)
        String list = !o.containsKey("segments") && o.containsKey("segment_ids") ? "segment_ids" : "segments";
        Object segments = o.get(list);
        if (segments == null) {
            throw new Bad(o.containsKey(list) ? list + " must be an array, was null" : "segments is missing");
        }
        if (!(segments instanceof List<?> items)) {
            throw new Bad(list + " must be an array, was " + typeOf(segments));
        }
        if (items.isEmpty()) {
            throw new Bad(list + " is empty");
        }
        List<TaskRequest> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = list + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> segment)) {
                throw new Bad(path + " must be an object, was " + typeOf(items.get(i)));
            }
            String segmentId = id(segment, "segment_id", path + ".segment_id");
            Object spanValue = segment.get("span");
            Span span = null;
            if (spanValue != null) {
                if (!(spanValue instanceof Map<?, ?> spanObject)) {
                    throw new Bad(path + ".span must be an object, was " + typeOf(spanValue));
                }
                span = span(spanObject, path + ".span.");
                if (span == null) {
                    throw new Bad(path + ".span has neither start nor end");
                }
            }
            out.add(new TaskRequest(jobId, manifestationId, segmentId, span));
        }
        return out;
    }

    /** An optional environment name: absent or null gives null; anything but a plain identifier is poison. */
    private static String environment(Map<?, ?> o, String field) {
        Object value = o.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new Bad(field + " must be a string, was " + typeOf(value));
        }
        if (!EnvironmentName.isValid(text)) {
            throw new Bad(field + " must be a plain identifier (a letter, then letters, digits or _; at most 64), was "
                    + excerpt(text));
        }
        return text;
    }

    /** An optional non-negative integer: absent or null gives null. */
    private static Integer optionalInteger(Map<?, ?> o, String field) {
        Object value = o.get(field);
        if (value == null) {
            return null;
        }
        int n = integer(value, field);
        if (n < 0) {
            throw new Bad(field + " must be >= 0, was " + n);
        }
        return n;
    }

    private static JobId jobId(Map<?, ?> o, String field) {
        String text = string(o, field, field);
        // UUID.fromString alone is lenient ("1-1-1-1-1" passes): insist on the canonical 8-4-4-4-12 form.
        if (!CANONICAL_UUID.matcher(text).matches()) {
            throw new Bad(field + " must be a UUID, was " + excerpt(text));
        }
        return new JobId(UUID.fromString(text));
    }

    private static String id(Map<?, ?> o, String field, String path) {
        String text = string(o, field, path);
        if (text.isEmpty()) {
            throw new Bad(path + " is empty");
        }
        if (text.length() > MAX_ID_CHARS) {
            throw new Bad(path + " is " + text.length() + " characters, over the limit of " + MAX_ID_CHARS);
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new Bad(path + " contains a control character, was " + excerpt(text));
            }
        }
        return text;
    }

    private static String string(Map<?, ?> o, String field, String path) {
        if (!o.containsKey(field)) {
            throw new Bad(path + " is missing");
        }
        Object value = o.get(field);
        if (!(value instanceof String text)) {
            throw new Bad(path + " must be a string, was " + typeOf(value));
        }
        return text;
    }

    /** The span held by {@code start}/{@code end} of {@code o}; null when both are absent or null. */
    private static Span span(Map<?, ?> o, String prefix) {
        Object start = o.get("start");
        Object end = o.get("end");
        if (start == null && end == null) {
            return null;
        }
        if (start == null) {
            throw new Bad(prefix + "start is missing (end is present)");
        }
        if (end == null) {
            throw new Bad(prefix + "end is missing (start is present)");
        }
        int s = integer(start, prefix + "start");
        int e = integer(end, prefix + "end");
        if (s < 0) {
            throw new Bad(prefix + "start must be >= 0, was " + s);
        }
        if (s >= e) {
            throw new Bad(prefix + "start must be < " + prefix + "end, was [" + s + ", " + e + ")");
        }
        return new Span(s, e);
    }

    private static int integer(Object value, String path) {
        if (value instanceof Long l) {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new Bad(path + " is out of the int range, was " + l);
            }
            return l.intValue();
        }
        if (value instanceof BigDecimal big) {
            if (big.signum() != 0 && big.precision() - big.scale() > 10) {
                throw new Bad(path + " is out of the int range, was " + excerpt(big.toString()));
            }
            try {
                return big.intValueExact();
            } catch (ArithmeticException e) {
                boolean fraction = big.signum() != 0 && big.stripTrailingZeros().scale() > 0;
                throw new Bad(path + (fraction ? " must be an integer, was " : " is out of the int range, was ")
                        + excerpt(big.toString()));
            }
        }
        throw new Bad(path + " must be an integer, was " + typeOf(value));
    }

    static String typeOf(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "string";
            case Boolean b -> "boolean";
            case Number n -> "number";
            case List<?> l -> "array";
            case Map<?, ?> m -> "object";
            default -> value.getClass().getSimpleName();
        };
    }

    /** A short, escaped, quoted excerpt of a value, safe for a one-line reason. */
    static String excerpt(String text) {
        String cut = text.length() <= 60 ? text : text.substring(0, 60) + "...";
        return JsonWriter.quote(cut);
    }

    /** A body is poison; the message is the reason. Control flow inside {@link #parse} only. */
    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bad(String reason) {
            super(reason, null, false, false);
        }
    }

    // ------------------------------------------------------------------------------ writing

    /**
     * The single-format body of a request: {@code {"job_id":…,"manifestation_id":…,"segment_id":…,
     * "start":…,"end":…}}, without {@code start}/{@code end} when the span is {@code null}.
     */
    public static String toSingleJson(TaskRequest request) {
        requireNonNull(request, "request is null");
        JsonWriter w = new JsonWriter().beginObject()
                .name("job_id").string(request.jobId().toString()).comma()
                .name("manifestation_id").string(request.manifestationId()).comma()
                .name("segment_id").string(request.segmentId());
        if (request.span() != null) {
            w.comma().name("start").number(request.span().start())
                    .comma().name("end").number(request.span().end());
        }
        return w.endObject().toString();
    }

    /**
     * The batch-format body of requests of one job: {@code {"root_job_id":…,"text_id":…,
     * "batch_number":…,"total_segments":…,"segments":[{"segment_id":…,"span":{"start":…,"end":…}}]}}
     * (a segment without a span has no {@code span} member).
     *
     * @param batchNumber this batch's number (informational, for the consumer's logs)
     * @param totalSegments the job's number of segments (informational)
     * @throws IllegalArgumentException when {@code requests} is empty or mixes jobs or manifestations
     */
    public static String toBatchJson(List<TaskRequest> requests, int batchNumber, int totalSegments) {
        return toBatchJson(requests, batchNumber, totalSegments, null, null);
    }

    /**
     * As {@link #toBatchJson(List, int, int)}, with the deployed producer's
     * {@code source_environment} and {@code destination_environment} (each left out when null);
     * {@code batch_number} and {@code total_segments} are {@code null} when not given.
     */
    public static String toBatchJson(List<TaskRequest> requests, Integer batchNumber, Integer totalSegments,
            String sourceEnvironment, String destinationEnvironment) {
        requireNonNull(requests, "requests is null");
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("requests is empty");
        }
        TaskRequest first = requests.get(0);
        JsonWriter w = new JsonWriter().beginObject()
                .name("root_job_id").string(first.jobId().toString()).comma()
                .name("text_id").string(first.manifestationId()).comma()
                .name("batch_number").value(batchNumber).comma()
                .name("total_segments").value(totalSegments).comma()
                .name("segments").beginArray();
        for (int i = 0; i < requests.size(); i++) {
            TaskRequest r = requests.get(i);
            if (!r.jobId().equals(first.jobId()) || !r.manifestationId().equals(first.manifestationId())) {
                throw new IllegalArgumentException("requests[" + i + "] is of job " + r.jobId() + " / "
                        + r.manifestationId() + ", not " + first.jobId() + " / " + first.manifestationId());
            }
            if (i > 0) {
                w.comma();
            }
            w.beginObject().name("segment_id").string(r.segmentId());
            if (r.span() != null) {
                w.comma().name("span").beginObject()
                        .name("start").number(r.span().start()).comma()
                        .name("end").number(r.span().end())
                        .endObject();
            }
            w.endObject();
        }
        w.endArray();
        if (sourceEnvironment != null) {
            w.comma().name("source_environment").string(sourceEnvironment);
        }
        if (destinationEnvironment != null) {
            w.comma().name("destination_environment").string(destinationEnvironment);
        }
        return w.endObject().toString();
    }
}
