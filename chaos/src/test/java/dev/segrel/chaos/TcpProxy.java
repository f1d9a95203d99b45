package dev.segrel.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in the test JVM, between worker processes and a server, that can be cut: while
 * cut, open connections are reset and new ones are accepted and closed at once (the client sees the
 * server go away and come back without the server being touched). It can also be black-holed
 * ({@link #blackhole()}): connections stay open and new ones are accepted, but nothing is forwarded
 * either way, as on a half-open network path or a hung host.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicBoolean blackholed = new AtomicBoolean();
    private final AtomicInteger swallowed = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept-" + targetPort).start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every open connection and refuses new ones until {@link #restore()}. */
    void cut() {
        cut.set(true);
        cuts.incrementAndGet();
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    void restore() {
        cut.set(false);
        if (blackholed.getAndSet(false)) {
            // what was swallowed left every stream of the black hole out of step: reset them, as a
            // network path that comes back after its peers' timeouts does
            for (Socket s : open) {
                reset(s);
            }
            open.clear();
        }
    }

    /** Accepts and reads, never forwards, until {@link #restore()}: every call through it hangs. */
    void blackhole() {
        blackholed.set(true);
    }

    /** Connections accepted while black-holed (never connected to the server). */
    int swallowed() {
        return swallowed.get();
    }

    int cuts() {
        return cuts.get();
    }

    /** Connections accepted and closed at once while cut. */
    int refused() {
        return refused.get();
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (cut.get()) {
                refused.incrementAndGet();
                reset(client);
                continue;
            }
            accepted.incrementAndGet();
            if (blackholed.get()) {
                swallowed.incrementAndGet();
                open.add(client);
                Thread.ofVirtual().start(() -> pump(client, null));
                continue;
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(server);
            reset(client);
            return;
        }
        open.add(client);
        open.add(server);
        if (cut.get()) { // cut while connecting
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        Thread.ofVirtual().start(() -> pump(client, server));
        Thread.ofVirtual().start(() -> pump(server, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to == null ? OutputStream.nullOutputStream()
                : to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!blackholed.get()) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side went away: close both below
        } finally {
            open.remove(from);
            closeQuietly(from);
            if (to != null) {
                open.remove(to);
                closeQuietly(to);
            }
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST, not FIN: the client sees "connection reset"
        } catch (IOException e) {
            // closed anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // nothing to do
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }
}
