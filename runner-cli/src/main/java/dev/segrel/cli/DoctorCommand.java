package dev.segrel.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.postgres.PostgresMigrator;
import dev.segrel.sqs.SqsClients;
import dev.segrel.sqs.SqsConfig;
import dev.segrel.sqs.SqsDeadLetterQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code segrel doctor}: checks every configured dependency and says how to fix what is wrong. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = {
            "Check every configured dependency and say how to fix what is wrong.",
            "Checks Neo4j, PostgreSQL (and whether its schema is migrated), SQS (task",
            "queue, dead-letter queue, completion queue) and Dragonfly (when DRAGONFLY_URL",
            "is set). Prints OK or FAIL for each, with what is wrong and how to fix it.",
            "Never prints a password.",
            "Exits 0 when everything is OK, 4 otherwise."
        },
        footer = {"", "Examples:", "  segrel doctor", "  segrel doctor --json | jq '.checks[] | select(.ok | not)'",
            ExitCodes.FOOTER})
public final class DoctorCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print {\"ok\":bool,\"checks\":[{\"name\",\"ok\",\"detail\",\"fix\"}]}.")
    boolean json;

    public DoctorCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    /** One check's verdict. {@code fix} is null when OK. */
    record Check(String name, boolean ok, String detail, String fix) {
        static Check ok(String name, String detail) {
            return new Check(name, true, detail, null);
        }

        static Check fail(String name, String detail, String fix) {
            return new Check(name, false, Cli.oneLine(detail), fix);
        }
    }

    @Override
    public Integer call() {
        Settings settings = context.settings().get();
        List<Check> checks = new ArrayList<>();
        checks.add(neo4j(settings));
        checks.addAll(postgres(settings));
        checks.addAll(sqs(settings));
        dragonfly(settings).ifPresent(checks::add);
        print(checks);
        return checks.stream().allMatch(Check::ok) ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }

    private Check neo4j(Settings settings) {
        try (ConnectedGraph graph = context.graphs().connect(settings)) {
            return Check.ok("Neo4j", graph.location() + " answers");
        } catch (CliException e) {
            return Check.fail("Neo4j", e.getMessage(), "correct NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD");
        } catch (RuntimeException e) {
            return Check.fail("Neo4j", String.valueOf(e.getMessage()),
                    "start Neo4j (or './segrel dev up') and check NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD;"
                            + " on a server, check that the Bolt port is reachable from here");
        }
    }

    private List<Check> postgres(Settings settings) {
        PostgresConfig config;
        try {
            // Flyway holds two connections at once while it reads the history
            config = PostgresConfig.fromSettings(settings).withPoolSize(3);
        } catch (IllegalArgumentException e) {
            return List.of(Check.fail("PostgreSQL", e.getMessage(),
                    "set POSTGRES_URL to postgresql://user:password@host:5432/db (or a JDBC URL)"));
        }
        try (Postgres postgres = Postgres.connect(config, "segrel-doctor")) {
            Check server = Check.ok("PostgreSQL", config.jdbcUrl() + " answers");
            return List.of(server, schema(postgres));
        } catch (RuntimeException e) {
            return List.of(Check.fail("PostgreSQL", String.valueOf(e.getMessage()),
                    "start PostgreSQL (or './segrel dev up') and check POSTGRES_URL's host, port, user, password and"
                            + " database"));
        }
    }

    private static Check schema(Postgres postgres) {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(postgres.dataSource())
                    .locations("classpath:db/migration")
                    .table(PostgresMigrator.HISTORY_TABLE)
                    .load();
            var info = flyway.info();
            int pending = info.pending().length;
            if (pending > 0) {
                return Check.fail("PostgreSQL schema", pending + " migration(s) not applied"
                        + (info.current() == null ? " (segrel's tables do not exist yet)" : " (at version "
                        + info.current().getVersion() + ")"), "run 'segrel migrate' (or start the worker with"
                        + " SEGREL_MIGRATE_ON_START=true)");
            }
            return Check.ok("PostgreSQL schema", "migrated (version " + info.current().getVersion() + ")");
        } catch (RuntimeException e) {
            return Check.fail("PostgreSQL schema", String.valueOf(e.getMessage()), "run 'segrel migrate'");
        }
    }

    private static List<Check> sqs(Settings settings) {
        SqsConfig config;
        try {
            config = SqsConfig.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            return List.of(Check.fail("SQS", e.getMessage(), "correct the SQS_* and AWS_* settings"));
        }
        if (config.queueUrl().isEmpty()) {
            return List.of(Check.fail("SQS queue", "SQS_QUEUE_URL is not set",
                    "set SQS_QUEUE_URL to the task queue's URL ('./segrel dev up' prints one)"));
        }
        List<Check> checks = new ArrayList<>();
        try (SqsClient client = SqsClients.create(config)) {
            String queue = config.queueUrl().get();
            Check queueCheck = queueExists(client, "SQS queue", queue, "SQS_QUEUE_URL");
            checks.add(queueCheck);
            if (queueCheck.ok()) {
                try {
                    Optional<SqsDeadLetterQueue> dlq = SqsDeadLetterQueue.of(client, config);
                    checks.add(dlq.isEmpty()
                            ? Check.fail("SQS dead-letter queue", "the task queue has no RedrivePolicy and SQS_DLQ_URL is"
                                    + " not set", "give the queue a dead-letter queue (RedrivePolicy) or set SQS_DLQ_URL:"
                                    + " poison messages and failed tasks go there")
                            : queueExists(client, "SQS dead-letter queue", dlq.get().url(), "SQS_DLQ_URL"));
                } catch (RuntimeException e) {
                    checks.add(Check.fail("SQS dead-letter queue", String.valueOf(e.getMessage()),
                            "check SQS_DLQ_URL and the queue's RedrivePolicy"));
                }
            }
            checks.add(config.completedQueueUrl().isEmpty()
                    ? Check.fail("SQS completed queue", "SQS_COMPLETED_QUEUE_URL is not set",
                            "set SQS_COMPLETED_QUEUE_URL: job completion messages are sent there")
                    : queueExists(client, "SQS completed queue", config.completedQueueUrl().get(), "SQS_COMPLETED_QUEUE_URL"));
        } catch (RuntimeException e) {
            checks.add(Check.fail("SQS", String.valueOf(e.getMessage()), "check SQS_ENDPOINT, AWS_REGION and the credentials"));
        }
        return checks;
    }

    private static Check queueExists(SqsClient client, String name, String url, String key) {
        try {
            client.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"));
            return Check.ok(name, url + " exists");
        } catch (SdkException e) {
            return Check.fail(name, url + ": " + Secrets.redact(String.valueOf(e.getMessage())),
                    "check " + key + ", SQS_ENDPOINT, AWS_REGION and the credentials; create the queue if it is missing"
                            + " ('./segrel dev up' creates them locally)");
        }
    }

    /** A RESP PING over a plain socket: the CLI needs no Redis client for it. */
    private static Optional<Check> dragonfly(Settings settings) {
        Optional<String> url = settings.get("DRAGONFLY_URL");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String fix = "start Dragonfly (or Redis) and check DRAGONFLY_URL (redis://[user:password@]host:6379), or unset"
                + " it to run without the cache";
        URI uri;
        try {
            uri = URI.create(url.get());
            if (uri.getHost() == null || !(uri.getScheme().equals("redis") || uri.getScheme().equals("rediss"))) {
                throw new IllegalArgumentException("not a redis:// URL");
            }
        } catch (RuntimeException e) {
            return Optional.of(Check.fail("Dragonfly", "DRAGONFLY_URL is not a redis:// URL", fix));
        }
        if (uri.getScheme().equals("rediss")) {
            return Optional.of(Check.ok("Dragonfly", "TLS endpoint configured (not checked by doctor)"));
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        String where = uri.getHost() + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 3000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String userInfo = uri.getUserInfo();
            if (userInfo != null && !userInfo.isEmpty()) {
                String[] parts = userInfo.split(":", 2);
                List<String> auth = parts.length == 2 && !parts[0].isEmpty()
                        ? List.of("AUTH", parts[0], parts[1]) : List.of("AUTH", parts[parts.length - 1]);
                out.write(resp(auth));
                String reply = readLine(in);
                if (!reply.startsWith("+")) {
                    return Optional.of(Check.fail("Dragonfly", where + " refused the credentials", fix));
                }
            }
            out.write(resp(List.of("PING")));
            String reply = readLine(in);
            return Optional.of(reply.startsWith("+PONG")
                    ? Check.ok("Dragonfly", where + " answers PING")
                    : Check.fail("Dragonfly", where + " answered '" + reply + "' to PING", fix));
        } catch (IOException e) {
            return Optional.of(Check.fail("Dragonfly", "cannot reach " + where + ": " + e.getMessage(), fix));
        }
    }

    private static byte[] resp(List<String> words) {
        StringBuilder b = new StringBuilder("*").append(words.size()).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void print(List<Check> checks) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = MappingsJson.MAPPER.createObjectNode();
            root.put("ok", checks.stream().allMatch(Check::ok));
            ArrayNode array = root.putArray("checks");
            for (Check c : checks) {
                ObjectNode node = array.addObject();
                node.put("name", c.name());
                node.put("ok", c.ok());
                node.put("detail", Secrets.redact(c.detail()));
                node.put("fix", c.fix());
            }
            out.println(MappingsJson.write(root));
        } else {
            int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
            for (Check c : checks) {
                out.printf("%-4s  %-" + width + "s  %s%n", c.ok() ? "OK" : "FAIL", c.name(), Secrets.redact(c.detail()));
                if (!c.ok()) {
                    out.printf("      %" + width + "s  fix: %s%n", "", c.fix());
                }
            }
            long failed = checks.stream().filter(c -> !c.ok()).count();
            out.println(failed == 0 ? "All " + checks.size() + " checks passed." : failed + " of " + checks.size()
                    + " checks failed.");
        }
        out.flush();
    }
}
