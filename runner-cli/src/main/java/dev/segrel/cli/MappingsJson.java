package dev.segrel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON the CLI reads and writes. Mappings have exactly the shape the existing service stores:
 * {@code [{"manifestation_id":"M","segments":[{"segment_id":"S","span":{"start":0,"end":10}}]}]}.
 */
final class MappingsJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private MappingsJson() {}

    static ArrayNode toJson(List<Mapping> mappings) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Mapping mapping : mappings) {
            ObjectNode m = array.addObject();
            m.put("manifestation_id", mapping.manifestationId());
            ArrayNode segments = m.putArray("segments");
            for (Segment segment : mapping.segments()) {
                ObjectNode s = segments.addObject();
                s.put("segment_id", segment.id());
                ObjectNode span = s.putObject("span");
                span.put("start", segment.span().start());
                span.put("end", segment.span().end());
            }
        }
        return array;
    }

    /** Compact, on one line. */
    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
