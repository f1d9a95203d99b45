package dev.segrel.core.index;

import dev.segrel.core.domain.ManifestationSlice;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.InvalidSegment;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SliceDefects;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact binary form of a {@link ManifestationSlice}, for second-level caches shared by workers
 * (Dragonfly): a table of distinct strings written once, then pairs, alignment segments with their
 * links and the segmentation as variable-length integers referring to it (spans as start and
 * length). About 10 bytes per segment plus its id once.
 *
 * <p>The first byte is the format {@link #VERSION}; {@link #decode} rejects any other, so a cache
 * key should carry the version too and old entries simply miss. A slice with
 * {@link ManifestationSlice#defects()} has them appended after the segmentation (ids and problems
 * as strings, stored offsets as doubles); one without is written exactly as before.
 */
public final class SliceCodec {

    /** The format version written and read. */
    public static final int VERSION = 1;

    private SliceCodec() {}

    public static byte[] encode(ManifestationSlice slice) {
        requireNonNull(slice, "slice is null");
        Strings strings = new Strings();
        Out body = new Out();
        body.varint(strings.of(slice.manifestationId()));
        body.varint(slice.pairs().size());
        for (ManifestationSlice.Pair p : slice.pairs()) {
            body.varint(strings.of(p.sourceAnnotationId()));
            body.varint(strings.of(p.targetAnnotationId()));
            body.varint(strings.of(p.targetManifestationId()));
        }
        List<String> annotations = slice.alignmentAnnotations();
        body.varint(annotations.size());
        for (String a : annotations) {
            body.varint(strings.of(a));
            List<Segment> segments = slice.alignmentSegments(a);
            Segment[][] linkedByIndex = slice.linkedByIndex(a);
            body.varint(segments.size());
            for (int i = 0; i < segments.size(); i++) {
                segment(body, strings, segments.get(i));
                Segment[] linked = linkedByIndex[i];
                body.varint(linked.length);
                for (Segment l : linked) {
                    segment(body, strings, l);
                }
            }
        }
        List<Segment> segmentation = slice.segmentation();
        body.varint(segmentation.size());
        for (Segment s : segmentation) {
            segment(body, strings, s);
        }
        if (!slice.defects().isEmpty()) {
            defects(body, strings, slice.defects());
        }
        Out out = new Out();
        out.bytes.write(VERSION);
        out.varint(strings.list.size());
        for (String s : strings.list) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.varint(utf8.length);
            out.bytes.writeBytes(utf8);
        }
        out.bytes.writeBytes(body.bytes.toByteArray());
        return out.bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a slice of this format version
     */
    public static ManifestationSlice decode(byte[] bytes) {
        requireNonNull(bytes, "bytes is null");
        try {
            In in = new In(bytes);
            int version = in.next();
            if (version != VERSION) {
                throw new IllegalArgumentException("slice format version " + version + ", expected " + VERSION);
            }
            String[] strings = new String[in.varint()];
            for (int i = 0; i < strings.length; i++) {
                int length = in.varint();
                strings[i] = new String(bytes, in.pos, length, StandardCharsets.UTF_8);
                in.pos += length;
            }
            ManifestationSlice.Builder b = ManifestationSlice.builder(strings[in.varint()]);
            int pairs = in.varint();
            for (int i = 0; i < pairs; i++) {
                b.pair(strings[in.varint()], strings[in.varint()], strings[in.varint()]);
            }
            int annotations = in.varint();
            for (int i = 0; i < annotations; i++) {
                String a = strings[in.varint()];
                int segments = in.varint();
                for (int j = 0; j < segments; j++) {
                    Segment s = segment(in, strings);
                    b.alignmentSegment(a, s);
                    int linked = in.varint();
                    for (int k = 0; k < linked; k++) {
                        b.link(a, s, segment(in, strings));
                    }
                }
            }
            int segmentation = in.varint();
            for (int i = 0; i < segmentation; i++) {
                b.segmentationSegment(segment(in, strings));
            }
            if (in.pos < bytes.length) {
                defects(in, strings, b);
            }
            if (in.pos != bytes.length) {
                throw new IllegalArgumentException((bytes.length - in.pos) + " bytes left after the slice");
            }
            return b.build();
        } catch (ArrayIndexOutOfBoundsException | StringIndexOutOfBoundsException | NullPointerException e) {
            throw new IllegalArgumentException("truncated or corrupt slice", e);
        }
    }

    private static void segment(Out out, Strings strings, Segment s) {
        out.varint(strings.of(s.id()));
        out.varint(s.span().start());
        out.varint(s.span().end() - s.span().start());
    }

    private static Segment segment(In in, String[] strings) {
        String id = strings[in.varint()];
        int start = in.varint();
        int length = in.varint();
        // a valid slice never holds an empty or past-int span: such bytes are corrupt, not a slice
        if (length == 0) {
            throw new IllegalArgumentException("segment " + id + " has length 0");
        }
        if (start > Integer.MAX_VALUE - length) {
            throw new IllegalArgumentException("segment " + id + " ends past the int range");
        }
        return Segment.of(id, start, start + length);
    }

    private static void defects(Out out, Strings strings, SliceDefects defects) {
        invalid(out, strings, defects.segmentation());
        out.varint(defects.alignment().size());
        defects.alignment().forEach((a, list) -> {
            out.varint(strings.of(a));
            invalid(out, strings, list);
        });
        out.varint(defects.links().size());
        defects.links().forEach((a, perSegment) -> {
            out.varint(strings.of(a));
            out.varint(perSegment.size());
            perSegment.forEach((id, list) -> {
                out.varint(strings.of(id));
                invalid(out, strings, list);
            });
        });
    }

    private static void invalid(Out out, Strings strings, List<InvalidSegment> list) {
        out.varint(list.size());
        for (InvalidSegment s : list) {
            out.varint(strings.of(s.segmentId()));
            out.varint(s.manifestationId() == null ? 0 : strings.of(s.manifestationId()) + 1);
            out.varint(strings.of(s.problem()));
            out.double64(s.start());
            out.double64(s.end());
        }
    }

    private static void defects(In in, String[] strings, ManifestationSlice.Builder b) {
        for (InvalidSegment s : invalid(in, strings)) {
            b.invalidSegmentationSegment(s);
        }
        int annotations = in.varint();
        for (int i = 0; i < annotations; i++) {
            String a = strings[in.varint()];
            for (InvalidSegment s : invalid(in, strings)) {
                b.invalidAlignmentSegment(a, s);
            }
        }
        int linking = in.varint();
        for (int i = 0; i < linking; i++) {
            String a = strings[in.varint()];
            int segments = in.varint();
            for (int j = 0; j < segments; j++) {
                String id = strings[in.varint()];
                Segment segment = b.alignmentSegmentOf(a, id);
                if (segment == null) {
                    throw new IllegalArgumentException("link from unknown segment " + id + " of " + a);
                }
                for (InvalidSegment s : invalid(in, strings)) {
                    b.invalidLink(a, segment, s);
                }
            }
        }
    }

    private static List<InvalidSegment> invalid(In in, String[] strings) {
        int n = in.varint();
        List<InvalidSegment> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            String id = strings[in.varint()];
            int m = in.varint();
            String problem = strings[in.varint()];
            out.add(new InvalidSegment(m == 0 ? null : strings[m - 1], id, problem, in.double64(), in.double64()));
        }
        return out;
    }

    private static final class Strings {
        final List<String> list = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();

        int of(String s) {
            Integer i = index.get(s);
            if (i == null) {
                i = list.size();
                list.add(s);
                index.put(s, i);
            }
            return i;
        }
    }

    private static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void varint(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative value " + value);
            }
            int v = value;
            while ((v & ~0x7F) != 0) {
                bytes.write((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes.write(v);
        }

        void double64(double value) {
            long bits = Double.doubleToRawLongBits(value);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes.write((int) (bits >>> shift) & 0xFF);
            }
        }
    }

    private static final class In {
        final byte[] bytes;
        int pos;

        In(byte[] bytes) {
            this.bytes = bytes;
        }

        int next() {
            return bytes[pos++] & 0xFF;
        }

        double double64() {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | next();
            }
            return Double.longBitsToDouble(bits);
        }

        int varint() {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = next();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0) {
                        throw new IllegalArgumentException("varint out of range");
                    }
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }
    }
}
