package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness ({@code /health/live}), readiness ({@code /health/ready}: every dependency reachable) and
 * Prometheus metrics ({@code /metrics}) over the JDK's HTTP server, bound to one address
 * ({@code SEGREL_HTTP_HOST}).
 *
 * <p>Every answer comes from memory: readiness from the last background poll ({@link Readiness}), so a
 * request never touches a dependency. Each endpoint serves at most {@link #MAX_CONCURRENT} requests at
 * once and answers 503 at once beyond that, so a flood costs a bounded number of threads; the bound is
 * per endpoint, so that a flood of one (a misconfigured probe hammering {@code /health/ready}) does not
 * fail the liveness probe and get a healthy worker restarted.
 */
final class HttpEndpoints implements AutoCloseable {

    /** A named readiness check; throws or returns false when the dependency is not reachable. */
    record Check(String name, Supplier<Boolean> probe) {
        Check {
            requireNonNull(name, "name is null");
            requireNonNull(probe, "probe is null");
        }
    }

    /** Requests served at once per endpoint; each is a copy from memory, so a few suffice for any probe rate. */
    static final int MAX_CONCURRENT = 16;
    static final String BUSY = "{\"status\":\"BUSY\"}";

    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    static HttpEndpoints start(String host, int port, BooleanSupplier live, Supplier<Readiness.Snapshot> readiness,
            Supplier<String> metrics) throws IOException {
        requireNonNull(host, "host is null");
        requireNonNull(live, "live is null");
        requireNonNull(readiness, "readiness is null");
        requireNonNull(metrics, "metrics is null");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health/live", bounded(exchange -> {
            boolean ok = live.getAsBoolean();
            respond(exchange, ok ? 200 : 503, "application/json", ok ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        }));
        server.createContext("/health/ready", bounded(exchange -> {
            Readiness.Snapshot snapshot = readiness.get();
            respond(exchange, snapshot.up() ? 200 : 503, "application/json", snapshot.json());
        }));
        server.createContext("/metrics", bounded(exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get())));
        server.start();
        return new HttpEndpoints(server);
    }

    /** {@code handler}, at most {@link #MAX_CONCURRENT} at once; beyond, 503 without waiting. */
    private static HttpHandler bounded(HttpHandler handler) {
        Semaphore permits = new Semaphore(MAX_CONCURRENT);
        return exchange -> {
            if (!permits.tryAcquire()) {
                respond(exchange, 503, "application/json", BUSY);
                return;
            }
            try {
                handler.handle(exchange);
            } finally {
                permits.release();
            }
        };
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The address bound. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
