package dev.segrel.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.json.JsonWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappingJsonTest {

    @Test
    void writesTheExistingServicesShapeExactly() {
        List<Mapping> mappings = List.of(
                new Mapping("M", List.of(Segment.of("S", 0, 10), Segment.of("T", 10, 20))), new Mapping("N", List.of()));

        assertThat(MappingJson.write(mappings)).isEqualTo("[{\"manifestation_id\":\"M\",\"segments\":["
                + "{\"segment_id\":\"S\",\"span\":{\"start\":0,\"end\":10}},"
                + "{\"segment_id\":\"T\",\"span\":{\"start\":10,\"end\":20}}]},"
                + "{\"manifestation_id\":\"N\",\"segments\":[]}]");
        assertThat(MappingJson.write(List.of())).isEqualTo("[]");
    }

    @Test
    void theTreeIsTheWrittenShapeUnderEitherManifestationKey() {
        List<Mapping> mappings = List.of(new Mapping("M", List.of(Segment.of("S", 0, 10))));

        assertThat(JsonWriter.write(MappingJson.toTree(mappings))).isEqualTo(MappingJson.write(mappings));
        assertThat(JsonWriter.write(MappingJson.toTree(mappings, MappingJson.ManifestationKey.TEXT_ID)))
                .isEqualTo("[{\"text_id\":\"M\",\"segments\":[{\"segment_id\":\"S\",\"span\":{\"start\":0,\"end\":10}}]}]");
    }

    @Test
    void readsBackWhatItWritesWhateverTheIds() {
        List<Mapping> mappings = List.of(new Mapping("'; DROP TABLE x;--", List.of(Segment.of("a\"b\\c\n中😀", 5, 6))),
                new Mapping("MATCH (n) DETACH DELETE n", List.of()));

        assertThat(MappingJson.parse(MappingJson.write(mappings))).isEqualTo(mappings);
    }

    @Test
    void readsMembersInAnyOrderAndIgnoresUnknownOnes() {
        assertThat(MappingJson.parse("[{\"segments\":[{\"span\":{\"end\":2,\"start\":1},\"x\":0,\"segment_id\":\"S\"}],"
                        + "\"manifestation_id\":\"M\"}]"))
                .isEqualTo(List.of(new Mapping("M", List.of(Segment.of("S", 1, 2)))));
    }

    @Test
    void namesTheFirstProblemOfMalformedText() {
        assertThatThrownBy(() -> MappingJson.parse("{}")).hasMessage("mappings must be an array, was object");
        assertThatThrownBy(() -> MappingJson.parse("[{\"manifestation_id\":\"M\"}]"))
                .hasMessage("[0].segments must be an array, was null");
        assertThatThrownBy(() -> MappingJson.parse(
                        "[{\"manifestation_id\":\"M\",\"segments\":[{\"segment_id\":\"S\",\"span\":{\"start\":3,\"end\":1}}]}]"))
                .hasMessage("[0].segments[0].span: span start must be < end, was [3, 1)");
        assertThatThrownBy(() -> MappingJson.parse("[")).hasMessageStartingWith("mappings are not JSON: ");
    }
}
