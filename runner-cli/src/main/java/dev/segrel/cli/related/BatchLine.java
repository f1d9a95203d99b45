package dev.segrel.cli.related;

import dev.segrel.cli.Cli;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Span;
import dev.segrel.core.json.JsonException;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import java.util.Map;

/**
 * One input line of {@code segrel related --batch}: {@code {"manifestation_id": "M", "start": 0,
 * "end": 10}} with optional {@code "segment_id"} (echoed only) and {@code "mode"}. Unknown fields
 * are ignored, as in task messages.
 */
sealed interface BatchLine {

    /** The query as given (a JSON value), echoed in the answer line ({@code "query"}). */
    Object echo();

    /** A line that is a valid query. */
    record Valid(Object echo, Query query) implements BatchLine {}

    /** A line that is not: the answer line carries {@code error}. */
    record Invalid(Object echo, String error) implements BatchLine {}

    static BatchLine parse(String line, RelationMode defaultMode) {
        Object node;
        try {
            node = JsonReader.read(line);
        } catch (JsonException e) {
            return new Invalid(line, "not JSON: " + Cli.oneLine(e.getMessage()));
        }
        if (!(node instanceof Map<?, ?> object)) {
            return new Invalid(node == null ? line : node, "a query must be a JSON object with manifestation_id, start and end");
        }
        if (!(object.get("manifestation_id") instanceof String manifestation) || manifestation.isBlank()) {
            return new Invalid(node, "\"manifestation_id\" must be a non-empty string");
        }
        for (String field : new String[] {"start", "end"}) {
            if (!(object.get(field) instanceof Long value) || value != value.intValue()) {
                return new Invalid(node, "\"" + field + "\" must be a whole number");
            }
        }
        RelationMode mode = defaultMode;
        Object modeValue = object.get("mode");
        if (modeValue != null) {
            if (!(modeValue instanceof String text)) {
                return new Invalid(node, "\"mode\" must be \"segmentation\" or \"alignment\"");
            }
            try {
                mode = RelationMode.parse(text);
            } catch (IllegalArgumentException e) {
                return new Invalid(node, e.getMessage());
            }
        }
        Span span;
        try {
            span = new Span(((Long) object.get("start")).intValue(), ((Long) object.get("end")).intValue());
        } catch (IllegalArgumentException e) {
            return new Invalid(node, "invalid span: " + e.getMessage());
        }
        return new Valid(node, new Query(manifestation, span, mode));
    }
}
