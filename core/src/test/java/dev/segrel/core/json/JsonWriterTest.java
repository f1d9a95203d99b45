package dev.segrel.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void writesTreesCompactly() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("a", List.of(1L, 2, new BigDecimal("1.50"), true, false));
        tree.put("b", null);
        tree.put("c", Map.of());

        assertThat(JsonWriter.write(tree)).isEqualTo("{\"a\":[1,2,1.50,true,false],\"b\":null,\"c\":{}}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(JsonWriter.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(JsonWriter.quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
        assertThat(JsonWriter.quote("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\\u007f\"");
        assertThat(JsonWriter.quote("/")).isEqualTo("\"/\"");
    }

    @Test
    void keepsUnicodeButEscapesLineSeparatorsAndLoneSurrogates() {
        assertThat(JsonWriter.quote("é中😀")).isEqualTo("\"é中😀\"");
        assertThat(JsonWriter.quote("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
        assertThat(JsonWriter.quote("x\ud800y")).isEqualTo("\"x\\ud800y\"");
        assertThat(JsonWriter.quote("\udc00")).isEqualTo("\"\\udc00\"");
        assertThat(JsonWriter.quote("\ud83d")).isEqualTo("\"\\ud83d\"");
    }

    @Test
    void whatItWritesReadsBackEqual() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            every.append(c);
        }
        every.append("\u2028\u2029😀\ud800");
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put(every.toString(), List.of(every.toString(), Long.MIN_VALUE, new BigDecimal("-1.25E-7")));

        Object back = JsonReader.read(JsonWriter.write(tree).replace("\\ud800", ""));

        Map<String, Object> expected = new LinkedHashMap<>();
        String noLone = every.toString().replace("\ud800", "");
        expected.put(noLone, List.of(noLone, Long.MIN_VALUE, new BigDecimal("-1.25E-7")));
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThatThrownBy(() -> JsonWriter.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonWriter.write(Map.of(1, 2))).hasMessageContaining("must be strings");
        assertThatThrownBy(() -> JsonWriter.write(new Object())).hasMessageContaining("cannot write a java.lang.Object");
    }
}
