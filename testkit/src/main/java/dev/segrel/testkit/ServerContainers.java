package dev.segrel.testkit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.neo4j.Neo4jContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers containers the server fixtures use where a Docker engine answers (see
 * {@link TestServers}): the same servers as in process, in the same versions, configured alike.
 * Each call starts a new container; the fixtures start one per JVM and stop it at exit.
 */
public final class ServerContainers {

    /** The major version of the in-process (zonky) PostgreSQL. */
    public static final String POSTGRES_IMAGE = "postgres:17";
    /** The version of the in-process Neo4j harness ({@code neo4j.version} in the root pom). */
    public static final String NEO4J_IMAGE = "neo4j:2026.08.1";
    /** The version of the in-process ElasticMQ ({@code elasticmq.version} in the root pom). */
    public static final String ELASTICMQ_IMAGE = "softwaremill/elasticmq-native:1.7.1";
    public static final int ELASTICMQ_PORT = 9324;

    /**
     * ElasticMQ's configuration: queue URLs take the host and port the client used (host {@code *}),
     * not the port inside the container, and ARNs the in-process server's region.
     */
    static final String ELASTICMQ_CONFIG = """
            include classpath("application.conf")
            node-address {
              protocol = http
              host = "*"
              port = 9324
              context-path = ""
            }
            rest-sqs {
              enabled = true
              bind-port = 9324
              bind-hostname = "0.0.0.0"
              sqs-limits = strict
            }
            rest-stats.enabled = false
            aws {
              region = us-east-1
              accountId = 000000000000
            }
            """;

    private ServerContainers() {}

    /** A started PostgreSQL, tuned like the in-process one for throw-away data. */
    public static PostgreSQLContainer startPostgres() {
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
                .withDatabaseName("postgres")
                .withUsername("postgres")
                .withPassword("segrel");
        container.setCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200");
        container.start();
        return container;
    }

    /** A JDBC URL with the credentials in it, so that {@code DriverManager.getConnection(url)} works. */
    public static String jdbcUrl(PostgreSQLContainer container) {
        String url = container.getJdbcUrl();
        return url + (url.contains("?") ? "&" : "?")
                + "user=" + URLEncoder.encode(container.getUsername(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(container.getPassword(), StandardCharsets.UTF_8);
    }

    /** A started Neo4j without authentication, like the in-process one; connect to {@code getBoltUrl()}. */
    public static Neo4jContainer startNeo4j() {
        Neo4jContainer container = new Neo4jContainer(DockerImageName.parse(NEO4J_IMAGE)).withoutAuthentication();
        container.start();
        return container;
    }

    /** A started ElasticMQ; connect to {@link #sqsEndpoint}. */
    public static GenericContainer<?> startSqs() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(ELASTICMQ_IMAGE))
                .withExposedPorts(ELASTICMQ_PORT)
                .withCopyToContainer(Transferable.of(ELASTICMQ_CONFIG), "/opt/elasticmq.conf")
                .waitingFor(Wait.forLogMessage(".*ElasticMQ server.*started.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(1)));
        container.start();
        return container;
    }

    /** {@code http://host:port} of a container from {@link #startSqs}. */
    public static String sqsEndpoint(GenericContainer<?> container) {
        return "http://" + container.getHost() + ":" + container.getMappedPort(ELASTICMQ_PORT);
    }

    /** Stops {@code container} when the JVM exits. */
    public static void stopAtExit(GenericContainer<?> container, String threadName) {
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, threadName));
    }
}
