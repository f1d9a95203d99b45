package dev.segrel.core.index;

import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.domain.Segment;
import java.util.SplittableRandom;

/** Slices for tests: a small hand-made one and random ones from a seed. */
final class SliceTestData {

    private SliceTestData() {}

    static ManifestationSlice small(String m) {
        Segment x1 = Segment.of("x1", 0, 10);
        Segment x2 = Segment.of("x2", 10, 20);
        return ManifestationSlice.builder(m)
                .pair("al", "B-al", "B")
                .pair("al", "C-al", "C")
                .link("al", x1, Segment.of("y1", 0, 4))
                .link("al", x1, Segment.of("y2", 4, 8))
                .link("al", x2, Segment.of("y2", 4, 8))
                .alignmentSegment("al", Segment.of("x3", 20, 30))
                .segmentationSegment(Segment.of("s2", 10, 20))
                .segmentationSegment(Segment.of("s1", 0, 10))
                .segmentationSegment(Segment.of("s1", 0, 10))
                .build();
    }

    static ManifestationSlice random(String m, long seed, int segments) {
        SplittableRandom r = new SplittableRandom(seed);
        ManifestationSlice.Builder b = ManifestationSlice.builder(m).pair("a", "b", "B");
        for (int i = 0; i < segments; i++) {
            int start = r.nextInt(10_000);
            Segment s = Segment.of("s" + i + "é", start, start + 1 + r.nextInt(300));
            b.segmentationSegment(s);
            int links = r.nextInt(3);
            b.alignmentSegment("a", Segment.of("x" + i, start, start + 1 + r.nextInt(200)));
            for (int k = 0; k < links; k++) {
                int ls = r.nextInt(10_000);
                b.link("a", Segment.of("x" + i, start, start + 1), Segment.of("y" + r.nextInt(segments), ls, ls + 5));
            }
        }
        return b.build();
    }
}
