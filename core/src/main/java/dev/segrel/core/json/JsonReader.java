package dev.segrel.core.json;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader producing a tree of plain Java values:
 *
 * <ul>
 *   <li>object: {@code Map<String, Object>} keeping member order (a {@link LinkedHashMap});
 *   <li>array: {@code List<Object>};
 *   <li>string: {@link String};
 *   <li>number: {@link Long} for an integer literal that fits a long, else {@link BigDecimal};
 *   <li>{@code true}/{@code false}: {@link Boolean}; {@code null}: Java {@code null}.
 * </ul>
 *
 * <p>Strict means: one value with only JSON whitespace around it; no comments, trailing commas,
 * single quotes, {@code NaN}, leading zeros or unescaped control characters; escapes validated and
 * surrogate pairs combined (a lone surrogate escape is rejected); duplicate member names rejected
 * (two parsers could otherwise disagree on which one counts). Number literals longer than 100 chars
 * are rejected. Nesting and input size are bounded by {@link JsonLimits}.
 *
 * <p>Stateless and thread-safe; every call is independent.
 */
public final class JsonReader {


    private final JsonLimits limits;

    private JsonReader(JsonLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    public static JsonReader withLimits(JsonLimits limits) {
        return new JsonReader(limits);
    }

    /** Reads with {@link JsonLimits#DEFAULT}. */
    public static Object read(String text) {
        return new JsonReader(JsonLimits.DEFAULT).parse(text);
    }

    /**
     * The value the text holds.
     *
     * @throws JsonException when the text is not one acceptable JSON value
     */
    public Object parse(String text) {
        requireNonNull(text, "text is null");
        if (text.length() > limits.maxChars()) {
            throw new JsonException(
                    "input is " + text.length() + " characters, over the limit of " + limits.maxChars(), -1);
        }
        return new JsonCursor(text, limits.maxDepth()).document();
    }

}
