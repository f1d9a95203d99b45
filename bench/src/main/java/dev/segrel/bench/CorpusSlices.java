package dev.segrel.bench;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.port.out.SliceSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Slices straight from a generated {@link Corpus}, without a database (JMH, tests). Thread-safe. */
public final class CorpusSlices implements SliceSource {

    private final Map<String, Corpus.Annotation> annotations = new HashMap<>();
    private final Map<String, List<Corpus.Annotation>> byManifestation = new HashMap<>();
    private final Map<String, List<String>> annotationLinks = new HashMap<>();
    private final Map<String, List<String>> segmentLinks = new HashMap<>();
    private final Map<String, Segment> segments = new HashMap<>();

    public CorpusSlices(Corpus corpus) {
        for (Corpus.Annotation a : corpus.annotations()) {
            annotations.put(a.id(), a);
            byManifestation.computeIfAbsent(a.manifestationId(), k -> new ArrayList<>()).add(a);
            a.segments().forEach(s -> segments.put(s.id(), s));
        }
        for (Corpus.Link l : corpus.annotationLinks()) {
            annotationLinks.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l.to());
            annotationLinks.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l.from());
        }
        for (Corpus.Link l : corpus.segmentLinks()) {
            segmentLinks.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l.to());
            segmentLinks.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l.from());
        }
    }

    @Override
    public ManifestationSlice load(String manifestationId) {
        ManifestationSlice.Builder b = ManifestationSlice.builder(manifestationId);
        for (Corpus.Annotation a : byManifestation.getOrDefault(manifestationId, List.of())) {
            if (a.type().equals("segmentation")) {
                a.segments().forEach(b::segmentationSegment);
            } else if (a.type().equals("alignment")) {
                for (String other : annotationLinks.getOrDefault(a.id(), List.of())) {
                    b.pair(a.id(), other, annotations.get(other).manifestationId());
                }
                for (Segment s : a.segments()) {
                    b.alignmentSegment(a.id(), s);
                    for (String linked : segmentLinks.getOrDefault(s.id(), List.of())) {
                        b.link(a.id(), s, segments.get(linked));
                    }
                }
            }
        }
        return b.build();
    }
}
