package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.segrel.core.config.Secrets;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness ({@code /health/live}), readiness ({@code /health/ready}: every dependency reachable) and
 * Prometheus metrics ({@code /metrics}) over the JDK's HTTP server.
 */
final class HttpEndpoints implements AutoCloseable {

    /** A named readiness check; throws or returns false when the dependency is not reachable. */
    record Check(String name, Supplier<Boolean> probe) {}

    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    static HttpEndpoints start(int port, BooleanSupplier live, Iterable<Check> readiness, Supplier<String> metrics)
            throws IOException {
        requireNonNull(live, "live is null");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health/live", exchange -> {
            boolean ok = live.getAsBoolean();
            respond(exchange, ok ? 200 : 503, "application/json", ok ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        });
        server.createContext("/health/ready", exchange -> {
            Map<String, String> results = new LinkedHashMap<>();
            boolean ok = true;
            for (Check check : readiness) {
                String result;
                try {
                    result = Boolean.TRUE.equals(check.probe().get()) ? "UP" : "DOWN";
                } catch (RuntimeException e) {
                    result = "DOWN: " + Secrets.redact(String.valueOf(e.getMessage()));
                }
                ok &= result.equals("UP");
                results.put(check.name(), result);
            }
            StringBuilder body = new StringBuilder("{\"status\":\"").append(ok ? "UP" : "DOWN").append("\",\"checks\":{");
            String sep = "";
            for (Map.Entry<String, String> e : results.entrySet()) {
                body.append(sep).append('"').append(e.getKey()).append("\":\"")
                        .append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                sep = ",";
            }
            body.append("}}");
            respond(exchange, ok ? 200 : 503, "application/json", body.toString());
        });
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.start();
        return new HttpEndpoints(server);
    }

    int port() {
        return server.getAddress().getPort();
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
