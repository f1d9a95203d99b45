package dev.segrel.testkit.cache;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A Redis-protocol server in this JVM (RESP2, the commands the cache adapter sends: GET, MGET, SET
 * with EX/PX, DEL, UNLINK, EXISTS, TTL, SCAN with MATCH, PING, SELECT, FLUSHDB, DBSIZE), so that a
 * machine without Redis, Dragonfly or a {@code redis-server} binary still runs every cache test. It
 * answers {@code HELLO} with an error, as a RESP2-only server does, and clients fall back to RESP2.
 * It is trusted only because the cache adapter's own tests (the ones real servers run) pass on it.
 * {@link #close()} drops every connection, as a stopped server does. Thread-safe.
 */
public final class InProcessRedis implements AutoCloseable {

    private record Entry(byte[] value, long expiresAtMillis) {
        boolean expired(long now) {
            return expiresAtMillis > 0 && now >= expiresAtMillis;
        }
    }

    private final ServerSocket server;
    private final Map<Integer, Map<String, Entry>> databases = new ConcurrentHashMap<>();
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private InProcessRedis(ServerSocket server) {
        this.server = server;
    }

    /** Starts on a free loopback port; returns once it accepts connections. */
    public static InProcessRedis start() throws IOException {
        InProcessRedis redis = new InProcessRedis(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread.ofPlatform().daemon().name("in-process-redis-accept").start(redis::accept);
        return redis;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code redis://127.0.0.1:<port>/<database>}. */
    public String url(int database) {
        return "redis://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        for (Socket s : clients) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                clients.add(socket);
                Thread.ofVirtual().name("in-process-redis-client").start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        int[] db = {0};
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            while (!closed) {
                List<byte[]> command = readCommand(in);
                if (command == null) {
                    return;
                }
                boolean quit = execute(command, db, out);
                if (in.available() == 0) {
                    out.flush(); // pipelined commands are answered together
                }
                if (quit) {
                    out.flush();
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away, or the server was closed
        } finally {
            clients.remove(socket);
        }
    }

    private static List<byte[]> readCommand(InputStream in) throws IOException {
        String header = readLine(in);
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.charAt(0) != '*') {
            throw new IOException("expected an array, got '" + header + "'");
        }
        int n = Integer.parseInt(header.substring(1));
        List<byte[]> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String len = readLine(in);
            if (len == null || len.isEmpty() || len.charAt(0) != '$') {
                throw new IOException("expected a bulk string, got '" + len + "'");
            }
            byte[] bytes = in.readNBytes(Integer.parseInt(len.substring(1)));
            in.readNBytes(2); // CRLF
            parts.add(bytes);
        }
        return parts;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read(); // \n
                return line.toString();
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private Map<String, Entry> db(int index) {
        return databases.computeIfAbsent(index, k -> new ConcurrentHashMap<>());
    }

    /** Keys are kept as ISO-8859-1 strings: one char per byte, so any binary key round-trips. */
    private static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private byte[] live(Map<String, Entry> db, String key) {
        Entry e = db.get(key);
        if (e == null) {
            return null;
        }
        if (e.expired(System.currentTimeMillis())) {
            db.remove(key, e);
            return null;
        }
        return e.value();
    }

    private boolean execute(List<byte[]> command, int[] db, OutputStream out) throws IOException {
        String name = key(command.get(0)).toUpperCase(Locale.ROOT);
        Map<String, Entry> data = db(db[0]);
        switch (name) {
            case "PING" -> {
                if (command.size() > 1) {
                    bulk(out, command.get(1));
                } else {
                    simple(out, "PONG");
                }
            }
            case "AUTH", "CLIENT", "READONLY" -> simple(out, "OK");
            case "SELECT" -> {
                db[0] = Integer.parseInt(key(command.get(1)));
                simple(out, "OK");
            }
            case "QUIT" -> {
                simple(out, "OK");
                return true;
            }
            case "GET" -> bulk(out, live(data, key(command.get(1))));
            case "MGET" -> {
                array(out, command.size() - 1);
                for (int i = 1; i < command.size(); i++) {
                    bulk(out, live(data, key(command.get(i))));
                }
            }
            case "SET" -> set(command, data, out);
            case "DEL", "UNLINK", "EXISTS" -> {
                long n = 0;
                for (int i = 1; i < command.size(); i++) {
                    String k = key(command.get(i));
                    if (live(data, k) != null) {
                        n++;
                        if (!name.equals("EXISTS")) {
                            data.remove(k);
                        }
                    }
                }
                integer(out, n);
            }
            case "TTL", "PTTL" -> {
                String k = key(command.get(1));
                Entry e = live(data, k) == null ? null : data.get(k);
                if (e == null) {
                    integer(out, -2);
                } else if (e.expiresAtMillis() == 0) {
                    integer(out, -1);
                } else {
                    long ms = Math.max(0, e.expiresAtMillis() - System.currentTimeMillis());
                    integer(out, name.equals("TTL") ? (ms + 999) / 1000 : ms);
                }
            }
            case "SCAN" -> scan(command, data, out);
            case "FLUSHDB" -> {
                data.clear();
                simple(out, "OK");
            }
            case "DBSIZE" -> integer(out, data.size());
            case "COMMAND" -> array(out, 0);
            default -> error(out, "ERR unknown command '" + name + "'");
        }
        return false;
    }

    private static void set(List<byte[]> command, Map<String, Entry> data, OutputStream out) throws IOException {
        long expires = 0;
        boolean nx = false;
        boolean xx = false;
        for (int i = 3; i < command.size(); i++) {
            String option = key(command.get(i)).toUpperCase(Locale.ROOT);
            switch (option) {
                case "EX" -> expires = System.currentTimeMillis() + 1000 * Long.parseLong(key(command.get(++i)));
                case "PX" -> expires = System.currentTimeMillis() + Long.parseLong(key(command.get(++i)));
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                default -> {
                    error(out, "ERR syntax error");
                    return;
                }
            }
        }
        String k = key(command.get(1));
        boolean present = data.containsKey(k);
        if ((nx && present) || (xx && !present)) {
            bulk(out, null);
            return;
        }
        data.put(k, new Entry(command.get(2), expires));
        simple(out, "OK");
    }

    /** One page with every match (cursor 0): allowed, COUNT is only a hint. */
    private void scan(List<byte[]> command, Map<String, Entry> data, OutputStream out) throws IOException {
        Pattern match = null;
        for (int i = 2; i < command.size(); i++) {
            if (key(command.get(i)).equalsIgnoreCase("MATCH")) {
                match = glob(key(command.get(++i)));
            } else {
                i++; // COUNT n, TYPE t
            }
        }
        List<String> keys = new ArrayList<>();
        for (String k : data.keySet()) {
            if (live(data, k) != null && (match == null || match.matcher(k).matches())) {
                keys.add(k);
            }
        }
        array(out, 2);
        bulk(out, "0".getBytes(StandardCharsets.US_ASCII));
        array(out, keys.size());
        for (String k : keys) {
            bulk(out, k.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '\\' -> re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                case '[' -> {
                    int close = glob.indexOf(']', i);
                    re.append(glob, i, close + 1);
                    i = close;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static void simple(OutputStream out, String s) throws IOException {
        out.write(('+' + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void error(OutputStream out, String s) throws IOException {
        out.write(('-' + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void integer(OutputStream out, long n) throws IOException {
        out.write((":" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void array(OutputStream out, int n) throws IOException {
        out.write(("*" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void bulk(OutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.write("$-1\r\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        out.write(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(value);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
