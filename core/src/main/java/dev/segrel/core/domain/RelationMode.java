package dev.segrel.core.domain;

import java.util.Locale;

/** What a mapping lists for each manifestation reached. */
public enum RelationMode {
    /** The segments of the reached manifestation's segmentation annotation(s) overlapping the envelope (default). */
    SEGMENTATION,
    /** The aligned segments themselves (the existing service's {@code transform=False}). */
    ALIGNMENT;

    /** Parses {@code segmentation} or {@code alignment}, case-insensitively. */
    public static RelationMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be segmentation or alignment, was '" + text + "'", e);
        }
    }
}
