package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The segments of one manifestation that a query relates to: one element of a related-segments
 * answer. Its JSON shape is {@code {"manifestation_id": "M", "segments": [{"segment_id": "S",
 * "span": {"start": 0, "end": 10}}]}}.
 *
 * @param manifestationId the manifestation reached
 * @param segments its related segments, sorted by start then id; possibly empty
 */
public record Mapping(String manifestationId, List<Segment> segments) {

    public Mapping {
        requireNonNull(manifestationId, "manifestationId is null");
        segments = List.copyOf(requireNonNull(segments, "segments is null"));
    }
}
