package dev.segrel.dragonfly;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.out.AlignmentGraph.AlignedPair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Binary forms of the values {@link CachingAlignmentGraph} caches (version in the key prefix). */
final class CachedValues {

    private CachedValues() {}

    static byte[] pairs(List<AlignedPair> pairs) {
        return write(out -> {
            out.writeInt(pairs.size());
            for (AlignedPair p : pairs) {
                out.writeUTF(p.sourceAnnotationId());
                out.writeUTF(p.targetAnnotationId());
                out.writeUTF(p.targetManifestationId());
                writeSegments(out, p.linkedSegments());
            }
        });
    }

    static List<AlignedPair> pairs(byte[] bytes) {
        return read(bytes, in -> {
            int n = in.readInt();
            List<AlignedPair> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new AlignedPair(in.readUTF(), in.readUTF(), in.readUTF(), readSegments(in)));
            }
            return out;
        });
    }

    static byte[] segments(List<Segment> segments) {
        return write(out -> writeSegments(out, segments));
    }

    static List<Segment> segments(byte[] bytes) {
        return read(bytes, CachedValues::readSegments);
    }

    private static void writeSegments(DataOutputStream out, List<Segment> segments) throws IOException {
        out.writeInt(segments.size());
        for (Segment s : segments) {
            out.writeUTF(s.id());
            out.writeInt(s.span().start());
            out.writeInt(s.span().end());
        }
    }

    private static List<Segment> readSegments(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<Segment> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Segment.of(in.readUTF(), in.readInt(), in.readInt()));
        }
        return out;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return r.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable cached value", e);
        }
    }
}
