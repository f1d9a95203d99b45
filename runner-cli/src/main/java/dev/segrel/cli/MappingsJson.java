package dev.segrel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.message.MappingJson;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON the CLI reads and writes. Mappings have exactly the shape the existing service stores:
 * {@code [{"manifestation_id":"M","segments":[{"segment_id":"S","span":{"start":0,"end":10}}]}]},
 * written by core's {@link MappingJson}.
 */
final class MappingsJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private MappingsJson() {}

    /**
     * The mappings as a tree, to embed in a larger document. The shape is core's {@link MappingJson}
     * (the one {@code result_json} holds), so the CLI can never drift from what the worker stores.
     */
    static ArrayNode toJson(List<Mapping> mappings) {
        try {
            return (ArrayNode) MAPPER.readTree(MappingJson.write(mappings));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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
