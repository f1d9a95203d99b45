package dev.segrel.image;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The image tar Jib writes ({@code docker load} layout: {@code manifest.json}, the config blob, one
 * gzipped tarball per layer), read with plain Java: no Docker engine, no archive library.
 */
final class ImageTar {

    /** One file, directory or link in a layer; {@code content} only for regular files asked for. */
    record Entry(String path, char type, int mode, long uid, long gid, long size, String linkTarget) {
        Entry {
            requireNonNull(path, "path is null");
        }

        boolean isFile() {
            return type == '0' || type == '\0';
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path tar;
    private final Map<String, byte[]> members;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageTar(Path tar, Map<String, byte[]> members) throws IOException {
        this.tar = tar;
        this.members = members;
        byte[] manifestBytes = members.get("manifest.json");
        if (manifestBytes == null) {
            throw new IOException(tar + " has no manifest.json: not a docker-load image tar");
        }
        this.manifest = JSON.readTree(manifestBytes).get(0);
        this.config = JSON.readTree(member(manifest.get("Config").asText()));
    }

    /** The tar named by the {@code segrel.image.tar} system property (set by the pom), read into memory. */
    static ImageTar built() throws IOException {
        String property = System.getProperty("segrel.image.tar");
        Path path = Path.of(property == null ? "target/jib-image.tar" : property);
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + " is missing: the image is built at package (./mvnw -pl image -am verify)");
        }
        return read(path);
    }

    static ImageTar read(Path tar) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            walk(in, (entry, content) -> {
                if (entry.isFile()) {
                    members.put(entry.path(), content.readAllBytes());
                }
            });
        }
        return new ImageTar(tar, members);
    }

    Path path() {
        return tar;
    }

    JsonNode manifest() {
        return manifest;
    }

    /** The container config's {@code config} object: Entrypoint, Cmd, User, ExposedPorts, Env, Labels … */
    JsonNode containerConfig() {
        return config.get("config");
    }

    List<String> layerNames() {
        List<String> names = new ArrayList<>();
        manifest.get("Layers").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Every entry of every layer, in layer order (a later layer's entry may shadow an earlier one). */
    List<Entry> entries() throws IOException {
        List<Entry> all = new ArrayList<>();
        for (String layer : layerNames()) {
            try (InputStream in = layerStream(layer)) {
                walk(in, (entry, content) -> all.add(entry));
            }
        }
        return all;
    }

    /** A regular file's content from the layers (the last layer holding it wins), or null. */
    byte[] file(String absolutePath) throws IOException {
        String wanted = relative(absolutePath);
        byte[][] found = new byte[1][];
        for (String layer : layerNames()) {
            try (InputStream in = layerStream(layer)) {
                walk(in, (entry, content) -> {
                    if (entry.isFile() && relative(entry.path()).equals(wanted)) {
                        found[0] = content.readAllBytes();
                    }
                });
            }
        }
        return found[0];
    }

    /** Unpacks every layer into {@code root} (files, directories, symbolic links; modes kept; owners not). */
    void extractTo(Path root) throws IOException {
        for (String layer : layerNames()) {
            try (InputStream in = layerStream(layer)) {
                walk(in, (entry, content) -> {
                    Path target = root.resolve(relative(entry.path())).normalize();
                    if (!target.startsWith(root)) {
                        throw new IOException("layer entry outside the root: " + entry.path());
                    }
                    switch (entry.type()) {
                        case '5' -> Files.createDirectories(target);
                        case '2' -> {
                            Files.createDirectories(target.getParent());
                            Files.deleteIfExists(target);
                            Files.createSymbolicLink(target, Path.of(entry.linkTarget()));
                        }
                        case '0', '\0' -> {
                            Files.createDirectories(target.getParent());
                            Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                        default -> { }
                    }
                    if (entry.type() != '2' && Files.exists(target)) {
                        Files.setPosixFilePermissions(target, permissions(entry.mode()));
                    }
                });
            }
        }
    }

    private InputStream layerStream(String layer) throws IOException {
        InputStream raw = new java.io.ByteArrayInputStream(member(layer));
        return layer.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
    }

    private byte[] member(String name) throws IOException {
        byte[] bytes = members.get(name);
        if (bytes == null) {
            throw new IOException(tar + " has no member " + name);
        }
        return bytes;
    }

    static String relative(String path) {
        String p = path;
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.startsWith("./") ? p.substring(2) : p.substring(1);
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder s = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            s.append((mode & (1 << bit)) != 0 ? rwx.charAt(8 - bit) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }

    @FunctionalInterface
    private interface EntryHandler {
        void accept(Entry entry, InputStream content) throws IOException;
    }

    /** A ustar reader with the PAX ('x') and GNU ('L', 'K') long-name extensions Jib and GNU tar write. */
    private static void walk(InputStream in, EntryHandler handler) throws IOException {
        byte[] header = new byte[512];
        String longName = null;
        String longLink = null;
        while (in.readNBytes(header, 0, 512) == 512) {
            if (isZero(header)) {
                return;
            }
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            byte[] body = null;
            InputStream content;
            if (type == 'x' || type == 'L' || type == 'K' || type == 'g') {
                body = in.readNBytes((int) size);
                content = null;
            } else {
                content = new Bounded(in, size);
            }
            switch (type) {
                case 'x' -> {
                    Map<String, String> pax = pax(body);
                    longName = pax.getOrDefault("path", longName);
                    longLink = pax.getOrDefault("linkpath", longLink);
                }
                case 'L' -> longName = cString(body, 0, body.length);
                case 'K' -> longLink = cString(body, 0, body.length);
                case 'g' -> { }
                default -> {
                    String name = longName != null ? longName : joined(cString(header, 345, 155), cString(header, 0, 100));
                    String link = longLink != null ? longLink : cString(header, 157, 100);
                    Entry entry = new Entry(name, type, (int) octal(header, 100, 8), octal(header, 108, 8),
                            octal(header, 116, 8), size, link);
                    handler.accept(entry, content);
                    ((Bounded) content).skipRest();
                    longName = null;
                    longLink = null;
                }
            }
            long padding = (512 - (size % 512)) % 512;
            in.skipNBytes(padding);
        }
    }

    private static String joined(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** An octal field: leading spaces skipped, ended by a space or NUL. */
    private static long octal(byte[] header, int offset, int length) {
        long value = 0;
        int i = offset;
        while (i < offset + length && header[i] == ' ') {
            i++;
        }
        for (; i < offset + length && header[i] >= '0' && header[i] <= '7'; i++) {
            value = value * 8 + (header[i] - '0');
        }
        return value;
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static Map<String, String> pax(byte[] body) {
        Map<String, String> values = new LinkedHashMap<>();
        int pos = 0;
        while (pos < body.length) {
            int space = pos;
            while (space < body.length && body[space] != ' ') {
                space++;
            }
            int length = Integer.parseInt(new String(body, pos, space - pos, StandardCharsets.US_ASCII));
            String record = new String(body, space + 1, length - (space - pos) - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            values.put(record.substring(0, eq), record.substring(eq + 1));
            pos += length;
        }
        return values;
    }

    /** The content of one entry: reading stops at its end; the rest is skipped before the next header. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        void skipRest() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }
    }
}
