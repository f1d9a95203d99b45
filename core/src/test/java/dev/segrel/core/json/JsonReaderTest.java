package dev.segrel.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    @Test
    void readsEveryKindOfValueIntoPlainJavaTypes() {
        Object tree = JsonReader.read(
                " {\"s\":\"x\",\"i\":-12,\"d\":1.5,\"e\":2E3,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[]],\"o\":{}} ");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "x");
        expected.put("i", -12L);
        expected.put("d", new BigDecimal("1.5"));
        expected.put("e", new BigDecimal("2E3"));
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("a", List.of(1L, List.of()));
        expected.put("o", Map.of());
        assertThat(tree).isEqualTo(expected);
        assertThat(List.copyOf(((Map<?, ?>) tree).keySet())).isEqualTo(List.of("s", "i", "d", "e", "t", "f", "n", "a", "o"));
    }

    @Test
    void readsScalarsAtTheTopLevel() {
        assertThat(JsonReader.read("\"a\"")).isEqualTo("a");
        assertThat(JsonReader.read("0")).isEqualTo(0L);
        assertThat(JsonReader.read("-0")).isEqualTo(0L);
        assertThat(JsonReader.read("null")).isNull();
        assertThat(JsonReader.read("\t\r\n true \n")).isEqualTo(true);
    }

    @Test
    void integersBeyondLongBecomeBigDecimalsAndLongExtremesStayLongs() {
        assertThat(JsonReader.read("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(JsonReader.read("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(JsonReader.read("9223372036854775808")).isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(JsonReader.read("123456789012345678")).isEqualTo(123456789012345678L);
    }

    @Test
    void decodesEveryEscapeAndSurrogatePairs() {
        assertThat(JsonReader.read("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\ud83d\\ude00\""))
                .isEqualTo("\" \\ / \b \f \n \r \t A é 😀");
        assertThat(JsonReader.read("\"plain 😀 unicode ü 中\"")).isEqualTo("plain 😀 unicode ü 中");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "}", "[", "]", "[1,]", "{\"a\":1,}", "{,}", "[,1]", "{\"a\" 1}", "{\"a\":}", "{a:1}",
        "{'a':1}", "'a'", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "01", "-", "1.", ".5", "1e", "1e+", "+1", "NaN", "Infinity", "-Infinity",
        "tru", "nul", "True", "1 2", "{} {}", "[1] x", "/*c*/1", "1 // c", "{\"a\":1}}", "[[]]]",
        "\"a\tb\"", "\"a\nb\"", "\"\u0000\"", "\u00a01", "[1;2]", "{\"a\":1;\"b\":2}", "\"\\u０１２３\"",
    })
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> JsonReader.read(text))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("at offset")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void rejectsDuplicateMemberNames() {
        assertThatThrownBy(() -> JsonReader.read("{\"a\":1,\"b\":2,\"a\":3}"))
                .isInstanceOf(JsonException.class)
                .hasMessage("duplicate member name \"a\" at offset 13");
    }

    @Test
    void reportsWhereTheProblemIs() {
        assertThatThrownBy(() -> JsonReader.read("{\"a\": [1, 2 x]}"))
                .isInstanceOf(JsonException.class)
                .hasMessage("unexpected character 'x', expected ',' or ']' at offset 12")
                .extracting(e -> ((JsonException) e).offset())
                .isEqualTo(12);
    }

    @Test
    void deepNestingIsRefusedBeforeTheStackSuffers() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> JsonReader.read(deep))
                .isInstanceOf(JsonException.class)
                .hasMessageStartingWith("nesting deeper than 64 levels");
        assertThatThrownBy(() -> JsonReader.read("{\"a\":".repeat(65) + "1" + "}".repeat(65)))
                .hasMessageStartingWith("nesting deeper than 64 levels");
    }

    @Test
    void nestingUpToTheLimitIsAccepted() {
        JsonReader reader = JsonReader.withLimits(new JsonLimits(1000, 3));

        assertThat(reader.parse("[[[1]]]")).isEqualTo(List.of(List.of(List.of(1L))));
        assertThatThrownBy(() -> reader.parse("[[[[1]]]]")).hasMessageStartingWith("nesting deeper than 3");
    }

    @Test
    void oversizedInputIsRefusedWithoutBeingParsed() {
        JsonReader reader = JsonReader.withLimits(new JsonLimits(10, 8));
        char[] big = new char[11];
        Arrays.fill(big, ' ');

        assertThatThrownBy(() -> reader.parse(new String(big)))
                .isInstanceOf(JsonException.class)
                .hasMessage("input is 11 characters, over the limit of 10");
        assertThat(reader.parse("[1,2,3,4]")).isEqualTo(List.of(1L, 2L, 3L, 4L));
    }

    @Test
    void absurdNumbersAreRefusedOrKeptExactWithoutExpensiveArithmetic() {
        assertThatThrownBy(() -> JsonReader.read("1" + "0".repeat(200))).hasMessageStartingWith("number longer than 100");
        assertThat(JsonReader.read("1e999999999")).isEqualTo(new BigDecimal("1e999999999"));
        assertThatThrownBy(() -> JsonReader.read("1e99999999999")).hasMessageStartingWith("number out of range");
    }

    @Test
    void readsALargeFlatArrayQuickly() {
        String text = "[" + "{\"segment_id\":\"s\",\"span\":{\"start\":1,\"end\":2}},".repeat(20_000) + "0]";

        List<?> items = (List<?>) JsonReader.read(text);

        assertThat(items).hasSize(20_001);
    }
}
