package dev.segrel.core.domain;

import java.util.Locale;

/** Which annotation of a manifestation provides the segments a job is made of. */
public enum SegmentSource {
    SEGMENTATION,
    PAGINATION;

    /** The {@code AnnotationType.name} in the graph. */
    public String typeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SegmentSource parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source must be segmentation or pagination, was '" + text + "'", e);
        }
    }
}
