package dev.segrel.core.message;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.json.JsonException;
import dev.segrel.core.json.JsonLimits;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A related-segments answer as JSON, exactly as the existing service stores it in
 * {@code segment_task.result_json}: {@code [{"manifestation_id":"M","segments":[{"segment_id":"S",
 * "span":{"start":0,"end":10}}]}]}, compact, members in that order.
 *
 * <p>Stateless and thread-safe.
 */
public final class MappingJson {

    /** Longest text {@link #parse} accepts: 64 MiB of chars. */
    public static final int MAX_CHARS = 64 << 20;

    private static final JsonReader READER = JsonReader.withLimits(new JsonLimits(MAX_CHARS, 8));

    private MappingJson() {}

    /**
     * The member that names a mapping's manifestation: {@code manifestation_id} as
     * {@code result_json} stores it, or {@code text_id} as the uploader's {@code segments-relations}
     * endpoint names it.
     */
    public enum ManifestationKey {
        MANIFESTATION_ID("manifestation_id"),
        TEXT_ID("text_id");

        private final String member;

        ManifestationKey(String member) {
            this.member = member;
        }

        /** The JSON member's name. */
        public String member() {
            return member;
        }
    }

    public static String write(List<Mapping> mappings) {
        requireNonNull(mappings, "mappings is null");
        StringBuilder out = new StringBuilder(64 + mappings.size() * 96);
        JsonWriter w = new JsonWriter(out).beginArray();
        for (int i = 0; i < mappings.size(); i++) {
            Mapping m = mappings.get(i);
            if (i > 0) {
                w.comma();
            }
            w.beginObject().name("manifestation_id").string(m.manifestationId()).comma()
                    .name("segments").beginArray();
            List<Segment> segments = m.segments();
            for (int j = 0; j < segments.size(); j++) {
                Segment s = segments.get(j);
                if (j > 0) {
                    w.comma();
                }
                w.beginObject().name("segment_id").string(s.id()).comma()
                        .name("span").beginObject()
                        .name("start").number(s.span().start()).comma()
                        .name("end").number(s.span().end())
                        .endObject().endObject();
            }
            w.endArray().endObject();
        }
        return w.endArray().toString();
    }

    /**
     * The mappings as a JSON tree (maps and lists, members in the order {@link #write} uses), to embed
     * in a larger document written by {@link dev.segrel.core.json.JsonWriter}.
     */
    public static List<Object> toTree(List<Mapping> mappings) {
        return toTree(mappings, ManifestationKey.MANIFESTATION_ID);
    }

    /** As {@link #toTree(List)}, each mapping's manifestation under {@code key}'s member. */
    public static List<Object> toTree(List<Mapping> mappings, ManifestationKey key) {
        requireNonNull(mappings, "mappings is null");
        requireNonNull(key, "key is null");
        List<Object> out = new ArrayList<>(mappings.size());
        for (Mapping m : mappings) {
            List<Object> segments = new ArrayList<>(m.segments().size());
            for (Segment s : m.segments()) {
                Map<String, Object> span = new LinkedHashMap<>();
                span.put("start", s.span().start());
                span.put("end", s.span().end());
                Map<String, Object> segment = new LinkedHashMap<>();
                segment.put("segment_id", s.id());
                segment.put("span", span);
                segments.add(segment);
            }
            Map<String, Object> mapping = new LinkedHashMap<>();
            mapping.put(key.member(), m.manifestationId());
            mapping.put("segments", segments);
            out.add(mapping);
        }
        return out;
    }

    /**
     * Reads what {@link #write} writes (members in any order, unknown members ignored).
     *
     * @throws IllegalArgumentException naming the first problem, when the text is not such a list
     */
    public static List<Mapping> parse(String json) {
        requireNonNull(json, "json is null");
        Object tree;
        try {
            tree = READER.parse(json);
        } catch (JsonException e) {
            throw new IllegalArgumentException("mappings are not JSON: " + e.getMessage(), e);
        }
        List<?> items = list(tree, "mappings");
        List<Mapping> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = "[" + i + "]";
            Map<?, ?> m = object(items.get(i), path);
            String manifestationId = string(m, "manifestation_id", path);
            List<?> segments = list(m.get("segments"), path + ".segments");
            List<Segment> parsed = new ArrayList<>(segments.size());
            for (int j = 0; j < segments.size(); j++) {
                String sp = path + ".segments[" + j + "]";
                Map<?, ?> s = object(segments.get(j), sp);
                String id = string(s, "segment_id", sp);
                Map<?, ?> span = object(s.get("span"), sp + ".span");
                int start = integer(span.get("start"), sp + ".span.start");
                int end = integer(span.get("end"), sp + ".span.end");
                try {
                    parsed.add(new Segment(id, new Span(start, end)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(sp + ".span: " + e.getMessage(), e);
                }
            }
            out.add(new Mapping(manifestationId, parsed));
        }
        return out;
    }

    private static List<?> list(Object value, String path) {
        if (value instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(path + " must be an array, was " + TaskMessage.typeOf(value));
    }

    private static Map<?, ?> object(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException(path + " must be an object, was " + TaskMessage.typeOf(value));
    }

    private static String string(Map<?, ?> o, String field, String path) {
        if (o.get(field) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(
                path + "." + field + " must be a string, was " + TaskMessage.typeOf(o.get(field)));
    }

    private static int integer(Object value, String path) {
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw new IllegalArgumentException(path + " must be an int, was " + TaskMessage.typeOf(value));
    }
}
