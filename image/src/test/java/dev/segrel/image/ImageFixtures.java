package dev.segrel.image;

import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The worker's environment for the image tests, and the probes they make. */
final class ImageFixtures {

    private static final Pattern HTTP_PORT_LINE = Pattern.compile("Health and metrics on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ImageFixtures() {}

    /**
     * The test JVM's PostgreSQL (a fresh schema) and SQS (fresh queues), and a Neo4j address where
     * nothing listens: the worker starts without its graph (it retries tasks until the graph is
     * back), so readiness shows {@code neo4j} DOWN and the other two UP.
     */
    static Map<String, String> workerEnvironment(int httpPort) throws IOException {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        QueueUrls queues = TestingSqs.createQueues("image");
        Map<String, String> env = new LinkedHashMap<>(TestingSqs.settings(queues));
        env.put("POSTGRES_URL", schema.jdbcUrl());
        env.put("NEO4J_URI", "bolt://127.0.0.1:" + freePort());
        env.put("NEO4J_CONNECT_TIMEOUT_MS", "1000");
        env.put("SEGREL_POSTGRES_POOL_SIZE", "2");
        env.put("SQS_WAIT_SECONDS", "1");
        env.put("SEGREL_HTTP_PORT", Integer.toString(httpPort));
        env.put("SEGREL_SHUTDOWN_GRACE_SECONDS", "5");
        return env;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The port the worker logged it serves health on, once it has. */
    static Optional<Integer> loggedHttpPort(Path log) {
        try {
            Matcher m = HTTP_PORT_LINE.matcher(Files.exists(log) ? Files.readString(log) : "");
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    record Answer(int status, String body) {}

    static Answer get(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }
}
