package dev.segrel.testkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Which kind of server each server fixture of this test JVM uses ({@code TestingPostgres},
 * {@code TestingNeo4j}, {@code TestingSqs}), decided once per JVM and logged once, on first use:
 *
 * <ol>
 *   <li>the server a fixture's environment variable names ({@code SEGREL_TEST_POSTGRES_URL},
 *       {@code SEGREL_TEST_NEO4J_URI}, {@code SEGREL_TEST_SQS_ENDPOINT}), if set;
 *   <li>else a Testcontainers container, when a Docker engine answers and
 *       {@code SEGREL_TEST_CONTAINERS} is not {@code false};
 *   <li>else the in-process server of the dev-stack module.
 * </ol>
 */
public final class TestServers {

    /** {@code false} runs the servers in process even where a Docker engine answers. */
    public static final String CONTAINERS_VARIABLE = "SEGREL_TEST_CONTAINERS";

    private static final Logger LOG = LoggerFactory.getLogger(TestServers.class);

    private TestServers() {}

    /** The servers the testkit provides, each with the variable that points it at one of your own. */
    public enum Server {
        POSTGRES("PostgreSQL", "SEGREL_TEST_POSTGRES_URL"),
        NEO4J("Neo4j", "SEGREL_TEST_NEO4J_URI"),
        SQS("SQS", "SEGREL_TEST_SQS_ENDPOINT");

        private final String title;
        private final String variable;

        Server(String title, String variable) {
            this.title = title;
            this.variable = variable;
        }

        public String title() {
            return title;
        }

        /** The environment variable naming an external server. */
        public String variable() {
            return variable;
        }
    }

    /** Where a fixture's server runs. */
    public enum Kind {
        /** the server an environment variable names */
        EXTERNAL("external"),
        /** a Testcontainers container, shared by the JVM and stopped at its exit */
        CONTAINER("Testcontainers"),
        /** dev-stack's server in this JVM (zonky PostgreSQL, Neo4j harness, ElasticMQ) */
        IN_PROCESS("in process");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One server's kind, and why. */
    public record Decision(Kind kind, String reason) {
        public Decision {
            requireNonNull(kind, "kind is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /** The decision for every server, and the line that reports it. */
    public record Choice(Map<Server, Decision> decisions) {

        public Choice {
            decisions = Map.copyOf(decisions);
            for (Server server : Server.values()) {
                if (!decisions.containsKey(server)) {
                    throw new IllegalArgumentException("no decision for " + server);
                }
            }
        }

        public Kind kind(Server server) {
            return decisions.get(server).kind();
        }

        /**
         * The one line logged per JVM, e.g. {@code test servers: in process (no Docker engine
         * answered); set SEGREL_TEST_POSTGRES_URL, SEGREL_TEST_NEO4J_URI or SEGREL_TEST_SQS_ENDPOINT to
         * use your own}.
         */
        public String logLine() {
            // servers with the same kind and reason are named together; external ones name their variables
            Map<String, List<Server>> groups = new LinkedHashMap<>();
            Map<String, String> reasons = new LinkedHashMap<>();
            for (Server server : Server.values()) {
                Decision d = decisions.get(server);
                String key = d.kind() == Kind.EXTERNAL ? Kind.EXTERNAL.name() : d.kind() + "|" + d.reason();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(server);
                reasons.merge(key, d.reason(), (a, b) -> d.kind() == Kind.EXTERNAL ? a + ", " + b : a);
            }
            List<String> parts = new ArrayList<>();
            for (var group : groups.entrySet()) {
                List<Server> servers = group.getValue();
                String kind = decisions.get(servers.getFirst()).kind().label();
                String what = servers.size() == Server.values().length
                        ? kind
                        : names(servers.stream().map(Server::title).toList(), "and") + " " + kind;
                parts.add(what + " (" + reasons.get(group.getKey()) + ")");
            }
            List<String> unset = new ArrayList<>();
            for (Server server : Server.values()) {
                if (kind(server) != Kind.EXTERNAL) {
                    unset.add(server.variable());
                }
            }
            String line = "test servers: " + String.join(", ", parts);
            return unset.isEmpty() ? line : line + "; set " + names(unset, "or") + " to use your own";
        }

        private static String names(List<String> names, String conjunction) {
            if (names.size() == 1) {
                return names.getFirst();
            }
            return String.join(", ", names.subList(0, names.size() - 1)) + " " + conjunction + " " + names.getLast();
        }
    }

    /**
     * The decision, as a pure function of the environment and of whether a Docker engine answers.
     * {@code dockerAnswers} is asked at most once, and only when some server is neither external nor
     * forced in process.
     *
     * @param environment a variable's value, or null when unset (blank counts as unset)
     * @throws IllegalArgumentException when {@code SEGREL_TEST_CONTAINERS} is neither true nor false
     */
    public static Choice decide(Function<String, String> environment, BooleanSupplier dockerAnswers) {
        requireNonNull(environment, "environment is null");
        requireNonNull(dockerAnswers, "dockerAnswers is null");
        boolean containersAllowed = containersAllowed(environment);
        Map<Server, Decision> decisions = new EnumMap<>(Server.class);
        Boolean docker = null;
        for (Server server : Server.values()) {
            if (isSet(environment.apply(server.variable()))) {
                decisions.put(server, new Decision(Kind.EXTERNAL, server.variable()));
            } else if (!containersAllowed) {
                decisions.put(server, new Decision(Kind.IN_PROCESS, CONTAINERS_VARIABLE + "=false"));
            } else {
                if (docker == null) {
                    docker = dockerAnswers.getAsBoolean();
                }
                decisions.put(server, docker
                        ? new Decision(Kind.CONTAINER, "a Docker engine answered; " + CONTAINERS_VARIABLE + "=false runs them in process")
                        : new Decision(Kind.IN_PROCESS, "no Docker engine answered"));
            }
        }
        return new Choice(decisions);
    }

    /** This JVM's choice: decided (asking Docker if needed) and logged on first call. */
    public static Choice current() {
        return Current.CHOICE;
    }

    /** This JVM's kind for {@code server}. */
    public static Kind kindOf(Server server) {
        return current().kind(requireNonNull(server, "server is null"));
    }

    /** Whether a Docker engine answers Testcontainers (asked once per JVM). */
    public static boolean dockerAnswers() {
        return Docker.ANSWERS;
    }

    /** False when {@code SEGREL_TEST_CONTAINERS=false} in this JVM's environment. */
    public static boolean containersAllowed() {
        return containersAllowed(System::getenv);
    }

    private static boolean containersAllowed(Function<String, String> environment) {
        String value = environment.apply(CONTAINERS_VARIABLE);
        if (!isSet(value)) {
            return true;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    CONTAINERS_VARIABLE + " must be true or false, was '" + value.trim() + "'");
        };
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static final class Current {
        static final Choice CHOICE = decide(System::getenv, TestServers::dockerAnswers);

        static {
            announce(CHOICE.logLine());
        }
    }

    private static final class Docker {
        static final boolean ANSWERS = DockerProbe.answers();
    }

    private static void announce(String line) {
        if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
            // no SLF4J provider on this class path (some modules' tests): the line must still be seen
            System.err.println("INFO " + TestServers.class.getName() + " - " + line);
        } else {
            LOG.info(line);
        }
    }
}
