package dev.segrel.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.message.MappingJson;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code result_json} as the existing service stores it: exactly the list of mappings,
 * {@code [{"manifestation_id":"M","segments":[{"segment_id":"S","span":{"start":0,"end":10}}]}]}.
 */
final class ResultJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {}

    /** The one rendering of the shape, shared with the CLI and the wire format (core's {@link MappingJson}). */
    static String write(List<Mapping> mappings) {
        return MappingJson.write(mappings);
    }

    /** The mappings of a stored result; empty for null. Throws on a row that is not in this shape. */
    static List<Mapping> read(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            JsonNode root = JSON.readTree(json);
            List<Mapping> mappings = new ArrayList<>(root.size());
            for (JsonNode m : root) {
                List<Segment> segments = new ArrayList<>();
                for (JsonNode s : m.path("segments")) {
                    JsonNode span = s.path("span");
                    segments.add(new Segment(
                            s.path("segment_id").asText(), new Span(span.path("start").asInt(), span.path("end").asInt())));
                }
                mappings.add(new Mapping(m.path("manifestation_id").asText(), segments));
            }
            return mappings;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("stored result_json is not a list of mappings: " + e.getMessage(), e);
        }
    }
}
