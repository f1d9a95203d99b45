package dev.segrel.cli.ops;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.Cli;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.dragonfly.DragonflyConfig;
import dev.segrel.dragonfly.RedisCache;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.neo4j.Neo4jConfig;
import dev.segrel.postgres.LayoutException;
import dev.segrel.neo4j.Neo4jEnvironments;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.postgres.PostgresCountChecks;
import dev.segrel.postgres.PostgresMigrator;
import dev.segrel.sqs.SqsConfig;
import dev.segrel.sqs.SqsQueueAdmin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code segrel doctor}: checks every configured dependency and says how to fix what is wrong. */
@Command(
        name = "doctor",
        description = {
            "Check every configured dependency and say how to fix what is wrong.",
            "Checks Neo4j, the graph of every environment configured with <ENV>_NEO4J_URI,",
            "PostgreSQL (which table layout it holds, and whether its schema is migrated),",
            "SQS (task queue, dead-letter queue, completion queue) and Dragonfly (when",
            "DRAGONFLY_URL is set). Prints OK or FAIL for each, with what is wrong and how",
            "to fix it; WARN (not a failure) for jobs whose total_segments differs from their",
            "task rows.",
            "Never prints a password.",
            "Exits 0 when everything is OK, 4 otherwise."
        },
        footer = {"", "Examples:", "  segrel doctor", "  segrel doctor --json | jq '.checks[] | select(.ok | not)'",
            ExitCodes.FOOTER})
public final class DoctorCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOutput json;

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

        /** Something to look at that does not make the doctor fail: OK, with a fix. */
        static Check warn(String name, String detail, String fix) {
            return new Check(name, true, Cli.oneLine(detail), requireNonNull(fix, "fix is null"));
        }
    }

    @Override
    public Integer call() {
        List<Check> checks = new ArrayList<>();
        try (Services services = Services.open(context)) {
            checks.add(neo4j(services));
            checks.addAll(environments(context.settings().get()));
            checks.addAll(postgres(services));
            checks.addAll(sqs(services));
        }
        dragonfly().ifPresent(checks::add);
        print(checks);
        return checks.stream().allMatch(Check::ok) ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }

    private static Check neo4j(Services services) {
        try {
            Neo4jConfig config = services.get(Neo4jConfig.class);
            services.get(Neo4jAlignmentGraph.class).verifyConnectivity();
            return Check.ok("Neo4j", "Neo4j at " + config.redactedUri() + " answers");
        } catch (CliException e) {
            return Check.fail("Neo4j", e.getMessage(), "correct NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD");
        } catch (RuntimeException e) {
            return Check.fail("Neo4j", String.valueOf(e.getMessage()),
                    "start Neo4j (or './segrel dev up') and check NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD;"
                            + " on a server, check that the Bolt port is reachable from here");
        }
    }

    /** One check per environment with a graph of its own, each over its own driver, as the worker opens them. */
    private static List<Check> environments(Settings settings) {
        // a bad NEO4J_* value reads as its default here: the Neo4j check reports it
        Neo4jConfig defaultGraph = Neo4jConfig.read(new ConfigReader(settings));
        Neo4jEnvironments environments;
        try {
            environments = Neo4jEnvironments.fromSettings(settings, defaultGraph);
        } catch (ConfigException e) {
            return List.of(Check.fail("Neo4j environments", e.getMessage(),
                    "name each environment's graph <ENV>_NEO4J_URI, <ENV> in upper case (letters, digits, '_'),"
                            + " with a bolt:// or neo4j:// URI"));
        }
        List<Check> checks = new ArrayList<>();
        for (String name : environments.names()) {
            checks.add(environment(name, environments.config(name).orElseThrow()));
        }
        return checks;
    }

    private static Check environment(String name, Neo4jConfig config) {
        String check = "Neo4j " + name;
        try (Neo4jAlignmentGraph graph = Neo4jAlignmentGraph.connect(config)) {
            graph.verifyConnectivity();
            return Check.ok(check, "Neo4j at " + config.redactedUri() + " answers");
        } catch (RuntimeException e) {
            return Check.fail(check, String.valueOf(e.getMessage()),
                    "start the graph of environment " + name + " and check " + name + "_NEO4J_URI, " + name
                            + "_NEO4J_USER (else NEO4J_USER) and " + name + "_NEO4J_PASSWORD (NEO4J_PASSWORD is"
                            + " never used for it)");
        }
    }

    private static List<Check> postgres(Services services) {
        PostgresConfig config;
        try {
            config = services.get(PostgresConfig.class);
        } catch (CliException e) {
            return List.of(Check.fail("PostgreSQL", e.getMessage(),
                    "set POSTGRES_URL to postgresql://user:password@host:5432/db (or a JDBC URL)"));
        }
        try {
            services.get(Postgres.class).ping();
        } catch (RuntimeException e) {
            return List.of(Check.fail("PostgreSQL", String.valueOf(e.getMessage()),
                    "start PostgreSQL (or './segrel dev up') and check POSTGRES_URL's host, port, user, password and"
                            + " database"));
        }
        Check schema = schema(services);
        List<Check> checks = new ArrayList<>(List.of(Check.ok("PostgreSQL", config.displayUrl() + " answers"),
                layout(services), schema));
        if (schema.ok()) {
            checks.add(jobCounts(services));
            checks.add(outbox(services));
        }
        return checks;
    }

    /** Legacy jobs whose total disagrees with their task rows: may never finish, or finish with odd counts. */
    private static Check jobCounts(Services services) {
        try {
            PostgresCountChecks.Summary summary = services.get(Postgres.class).countChecks().all(3);
            if (summary.jobs() == 0) {
                return Check.ok("Job counts", "every job's total_segments matches its task rows");
            }
            return Check.warn("Job counts", summary.jobs() + " job(s) whose total_segments differs from their task rows, e.g. "
                            + summary.examples().stream().map(PostgresCountChecks.CountMismatch::describe)
                                    .collect(java.util.stream.Collectors.joining("; ")),
                    "'segrel job status JOB' shows each; a job missing rows cannot finish: re-submit its text, or set its"
                            + " total_segments to its rows (docs/operations.md, 'Replacing the deployed service')");
        } catch (RuntimeException e) {
            return Check.fail("Job counts", String.valueOf(e.getMessage()), "check POSTGRES_URL");
        }
    }

    /** Completion messages past the relay's attempt limit: kept and retried hourly, but an operator must look. */
    private static Check outbox(Services services) {
        try {
            long stuck = services.get(Postgres.class).outbox().stuck();
            if (stuck == 0) {
                return Check.ok("Outbox", "no stuck completion message");
            }
            return Check.fail("Outbox", stuck + " completion message(s) failed " + Outbox.STUCK_AFTER_ATTEMPTS
                            + " deliveries (kept, tried again hourly)",
                    "see their last_error: SELECT message_id, attempts, last_error FROM segrel_outbox WHERE sent_at IS"
                            + " NULL AND attempts >= " + Outbox.STUCK_AFTER_ATTEMPTS + "; once fixed, UPDATE segrel_outbox"
                            + " SET available_at = now() WHERE sent_at IS NULL sends them at the next relay pass");
        } catch (RuntimeException e) {
            return Check.fail("Outbox", String.valueOf(e.getMessage()), "check POSTGRES_URL");
        }
    }

    private static Check layout(Services services) {
        try {
            PostgresMigrator.LayoutStatus layout = services.get(PostgresMigrator.class).layout();
            return Check.ok("Table layout", layout.adopted() ? layout.layout().describe()
                    : layout.layout().describe() + ", not adopted yet ('segrel migrate' adopts it)");
        } catch (LayoutException e) {
            return Check.fail("Table layout", e.getMessage(), "set SEGREL_TABLE_LAYOUT to readme, v1 or current, or"
                    + " resolve what the line says (docs/operations.md, 'Replacing the deployed service')");
        } catch (RuntimeException e) {
            return Check.fail("Table layout", String.valueOf(e.getMessage()), "check POSTGRES_URL");
        }
    }

    private static Check schema(Services services) {
        try {
            PostgresMigrator.SchemaStatus status = services.get(PostgresMigrator.class).status();
            if (!status.upToDate()) {
                return Check.fail("PostgreSQL schema", status.pending() + " migration(s) not applied"
                        + (status.currentVersion() == null ? " (segrel's tables do not exist yet)"
                                : " (at version " + status.currentVersion() + ")"),
                        "run 'segrel migrate' (or start the worker with SEGREL_MIGRATE_ON_START=true)");
            }
            return Check.ok("PostgreSQL schema", "migrated (version " + status.currentVersion() + ")");
        } catch (LayoutException e) {
            return Check.fail("PostgreSQL schema", "unknown until the table layout is decided", "see 'Table layout'");
        } catch (RuntimeException e) {
            return Check.fail("PostgreSQL schema", String.valueOf(e.getMessage()), "run 'segrel migrate'");
        }
    }

    private static List<Check> sqs(Services services) {
        SqsConfig config;
        try {
            config = services.get(SqsConfig.class);
        } catch (CliException e) {
            return List.of(Check.fail("SQS", e.getMessage(), "correct the SQS_* and AWS_* settings"));
        }
        if (config.queueUrl().isEmpty()) {
            return List.of(Check.fail("SQS queue", "SQS_QUEUE_URL is not set",
                    "set SQS_QUEUE_URL to the task queue's URL ('./segrel dev up' prints one)"));
        }
        List<Check> checks = new ArrayList<>();
        try {
            SqsQueueAdmin admin = services.get(SqsQueueAdmin.class);
            Check queue = queueExists(admin, "SQS queue", config.queueUrl().get(), "SQS_QUEUE_URL");
            checks.add(queue);
            if (queue.ok()) {
                checks.add(deadLetterQueue(admin));
            }
            checks.add(config.completedQueueUrl().isEmpty()
                    ? Check.fail("SQS completed queue", "SQS_COMPLETED_QUEUE_URL is not set",
                            "set SQS_COMPLETED_QUEUE_URL: job completion messages are sent there")
                    : queueExists(admin, "SQS completed queue", config.completedQueueUrl().get(),
                            "SQS_COMPLETED_QUEUE_URL"));
        } catch (RuntimeException e) {
            checks.add(Check.fail("SQS", String.valueOf(e.getMessage()), "check SQS_ENDPOINT, AWS_REGION and the credentials"));
        }
        return checks;
    }

    private static Check deadLetterQueue(SqsQueueAdmin admin) {
        try {
            Optional<String> dlq = admin.deadLetterQueueUrl();
            return dlq.isEmpty()
                    ? Check.fail("SQS dead-letter queue", "the task queue has no RedrivePolicy and SQS_DLQ_URL is not set",
                            "give the queue a dead-letter queue (RedrivePolicy) or set SQS_DLQ_URL: poison messages and"
                                    + " failed tasks go there")
                    : queueExists(admin, "SQS dead-letter queue", dlq.get(), "SQS_DLQ_URL");
        } catch (RuntimeException e) {
            return Check.fail("SQS dead-letter queue", String.valueOf(e.getMessage()),
                    "check SQS_DLQ_URL and the queue's RedrivePolicy");
        }
    }

    private static Check queueExists(SqsQueueAdmin admin, String name, String url, String key) {
        try {
            admin.requireReachable(url);
            return Check.ok(name, url + " exists");
        } catch (QueueUnavailableException e) {
            return Check.fail(name, String.valueOf(e.getMessage()),
                    "check " + key + ", SQS_ENDPOINT, AWS_REGION and the credentials; create the queue if it is missing"
                            + " ('./segrel dev up' creates them locally)");
        }
    }

    private Optional<Check> dragonfly() {
        Settings settings = context.settings().get();
        if (settings.get("DRAGONFLY_URL").isEmpty()) {
            return Optional.empty();
        }
        String fix = "start Dragonfly (or Redis) and check DRAGONFLY_URL (redis://[user:password@]host:6379), or unset"
                + " it to run without the cache";
        DragonflyConfig config;
        try {
            config = DragonflyConfig.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            return Optional.of(Check.fail("Dragonfly", e.getMessage(), fix));
        }
        try (RedisCache cache = RedisCache.connect(config)) {
            cache.ping();
            return Optional.of(Check.ok("Dragonfly", config.redactedUrl() + " answers PING"));
        } catch (IllegalStateException e) {
            return Optional.of(Check.fail("Dragonfly", e.getMessage(), fix));
        }
    }

    private void print(List<Check> checks) {
        List<Object> document = new ArrayList<>();
        for (Check c : checks) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", c.name());
            node.put("ok", c.ok());
            node.put("detail", Secrets.redact(c.detail()));
            node.put("fix", c.fix());
            document.add(node);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ok", checks.stream().allMatch(Check::ok));
        root.put("checks", document);
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (Check c : checks) {
            text.append(String.format("%-4s  %-" + width + "s  %s%n", !c.ok() ? "FAIL" : c.fix() != null ? "WARN" : "OK",
                    c.name(), Secrets.redact(c.detail())));
            if (c.fix() != null) {
                text.append(String.format("      %" + width + "s  fix: %s%n", "", c.fix()));
            }
        }
        long failed = checks.stream().filter(c -> !c.ok()).count();
        text.append(failed == 0 ? "All " + checks.size() + " checks passed." : failed + " of " + checks.size()
                + " checks failed.");
        json.print(spec.commandLine().getOut(), root, text.toString());
    }
}
