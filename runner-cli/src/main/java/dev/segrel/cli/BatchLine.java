package dev.segrel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.in.FindRelatedSegments.Query;

/**
 * One input line of {@code segrel related --batch}: {@code {"manifestation_id": "M", "start": 0,
 * "end": 10}} with optional {@code "segment_id"} (echoed only) and {@code "mode"}. Unknown fields
 * are ignored, as in task messages.
 */
sealed interface BatchLine {

    /** The query object as given, echoed in the answer line ({@code "query"}). */
    JsonNode echo();

    /** A line that is a valid query. */
    record Valid(JsonNode echo, Query query) implements BatchLine {}

    /** A line that is not: the answer line carries {@code error}. */
    record Invalid(JsonNode echo, String error) implements BatchLine {}

    static BatchLine parse(String line, RelationMode defaultMode) {
        JsonNode node;
        try {
            node = MappingsJson.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return new Invalid(TextNode.valueOf(line), "not JSON: " + Cli.oneLine(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            return new Invalid(node == null ? TextNode.valueOf(line) : node,
                    "a query must be a JSON object with manifestation_id, start and end");
        }
        JsonNode manifestation = node.get("manifestation_id");
        if (manifestation == null || !manifestation.isTextual() || manifestation.asText().isBlank()) {
            return new Invalid(node, "\"manifestation_id\" must be a non-empty string");
        }
        JsonNode start = node.get("start");
        JsonNode end = node.get("end");
        for (String field : new String[] {"start", "end"}) {
            JsonNode value = node.get(field);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
                return new Invalid(node, "\"" + field + "\" must be a whole number");
            }
        }
        RelationMode mode = defaultMode;
        JsonNode modeNode = node.get("mode");
        if (modeNode != null && !modeNode.isNull()) {
            if (!modeNode.isTextual()) {
                return new Invalid(node, "\"mode\" must be \"segmentation\" or \"alignment\"");
            }
            try {
                mode = RelationMode.parse(modeNode.asText());
            } catch (IllegalArgumentException e) {
                return new Invalid(node, e.getMessage());
            }
        }
        Span span;
        try {
            span = new Span(start.intValue(), end.intValue());
        } catch (IllegalArgumentException e) {
            return new Invalid(node, "invalid span: " + e.getMessage());
        }
        return new Valid(node, new Query(manifestation.asText(), span, mode));
    }
}
