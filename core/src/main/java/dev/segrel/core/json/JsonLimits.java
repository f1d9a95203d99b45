package dev.segrel.core.json;

/**
 * Bounds on what {@link JsonReader} accepts, so that a hostile text can neither overflow the stack
 * (nesting) nor exhaust the heap (size: memory used is linear in the input length).
 *
 * @param maxChars longest accepted input, in chars
 * @param maxDepth deepest accepted nesting of arrays and objects (a scalar is depth 0, {@code []} is 1)
 */
public record JsonLimits(int maxChars, int maxDepth) {

    /** 1 MiB of chars, 64 levels. */
    public static final JsonLimits DEFAULT = new JsonLimits(1 << 20, 64);

    public JsonLimits {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
        }
        if (maxDepth < 1 || maxDepth > 1000) {
            throw new IllegalArgumentException("maxDepth must be in 1..1000, was " + maxDepth);
        }
    }
}
