package dev.segrel.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in the test JVM in front of the SQS server, for workers to use as their
 * {@code SQS_ENDPOINT}, that makes one queue slow: every request naming that queue is forwarded at
 * once (the server acts on it, a message sent is on the queue) and its answer is held for
 * {@code delay} before the caller gets it. Requests to the other queues pass through untouched.
 *
 * <p>The delay is injected as the fault, on the proxy's side; the scenario never sleeps on it.
 */
final class DelayingSqsProxy implements AutoCloseable {

    /** Headers the JDK's client sets itself, and hop-by-hop ones. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final URI target;
    private final String slowQueue;
    private final Duration delay;
    private final AtomicInteger delayed = new AtomicInteger();
    private final AtomicInteger sendsToSlowQueue = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    /**
     * @param target the SQS server's endpoint
     * @param slowQueueUrl the queue whose requests are answered late
     */
    DelayingSqsProxy(String target, String slowQueueUrl, Duration delay) throws IOException {
        this.target = URI.create(target);
        this.slowQueue = slowQueueUrl.substring(slowQueueUrl.lastIndexOf('/') + 1);
        this.delay = delay;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    /** The endpoint workers use. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Duration delay() {
        return delay;
    }

    /** Answers held back: requests that named the slow queue. */
    int delayed() {
        return delayed.get();
    }

    /** SendMessage / SendMessageBatch requests to the slow queue that its server answered. */
    int sendsToSlowQueue() {
        return sendsToSlowQueue.get();
    }

    /** Requests passed through without delay. */
    int passed() {
        return passed.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    header.getValue().forEach(v -> request.header(header.getKey(), v));
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            if (text.contains(slowQueue)) {
                if (isSend(exchange, text) && response.statusCode() == 200) {
                    sendsToSlowQueue.incrementAndGet();
                }
                delayed.incrementAndGet();
                hold();
            } else {
                passed.incrementAndGet();
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    /** A send, in the JSON protocol (by its target header) or the query protocol (by its action). */
    private static boolean isSend(HttpExchange exchange, String body) {
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        return amzTarget != null ? amzTarget.startsWith("AmazonSQS.SendMessage") : body.contains("Action=SendMessage");
    }

    private void hold() {
        try {
            Thread.sleep(delay); // the slow server itself, not a test waiting for time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
        threads.shutdownNow();
    }
}
