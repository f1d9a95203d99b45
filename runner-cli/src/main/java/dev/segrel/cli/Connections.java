package dev.segrel.cli;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsClients;
import dev.segrel.sqs.SqsConfig;
import dev.segrel.sqs.SqsDeadLetterQueue;
import dev.segrel.sqs.SqsTaskQueue;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The dependencies of an operator command, opened from the configuration on first use and closed
 * together: the graph, PostgreSQL and SQS. A bad setting is a usage error (exit 2) naming the key;
 * an unreachable dependency propagates as the adapter's unavailable exception (exit 4).
 */
final class Connections implements AutoCloseable {

    /** Operator commands run a few statements at a time: no need for the worker's pool. */
    private static final int POOL_SIZE = 2;

    private final CliContext context;
    private Settings settings;
    private ConnectedGraph graph;
    private Postgres postgres;
    private boolean schemaChecked;
    private SqsConfig sqsConfig;
    private SqsClient sqs;

    Connections(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    Settings settings() {
        if (settings == null) {
            settings = context.settings().get();
        }
        return settings;
    }

    ConnectedGraph connectedGraph() {
        if (graph == null) {
            graph = context.graphs().connect(settings());
        }
        return graph;
    }

    AlignmentGraph graph() {
        return connectedGraph().graph();
    }

    Postgres postgres() {
        if (postgres == null) {
            PostgresConfig config;
            try {
                config = PostgresConfig.fromSettings(settings()).withPoolSize(POOL_SIZE);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, Secrets.redact(e.getMessage()), e);
            }
            postgres = Postgres.connect(config, "segrel-cli");
        }
        return postgres;
    }

    /** The task store; a database without segrel's tables is reported with the fix (exit 4). */
    TaskStore store() {
        Postgres db = postgres();
        if (!schemaChecked) {
            boolean migrated = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT to_regclass('root_job') IS NOT NULL AND to_regclass('segment_task') IS NOT NULL")
                    .mapTo(Boolean.class)
                    .one());
            if (!migrated) {
                throw new CliException(ExitCodes.UNAVAILABLE, "PostgreSQL at " + db.config().jdbcUrl()
                        + " has no segrel tables: run 'segrel migrate' first");
            }
            schemaChecked = true;
        }
        return db.taskStore();
    }

    SqsConfig sqsConfig() {
        if (sqsConfig == null) {
            try {
                sqsConfig = SqsConfig.fromSettings(settings());
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, Secrets.redact(e.getMessage()), e);
            }
        }
        return sqsConfig;
    }

    SqsClient sqs() {
        if (sqs == null) {
            sqs = SqsClients.create(sqsConfig());
        }
        return sqs;
    }

    /** The task queue of {@code SQS_QUEUE_URL}; a usage error when it is not set. */
    SqsTaskQueue queue() {
        if (sqsConfig().queueUrl().isEmpty()) {
            throw new CliException(ExitCodes.USAGE, SqsConfig.QUEUE_URL + " is not set: set it to the URL of the task"
                    + " queue (the environment, or .env in this folder)");
        }
        return SqsTaskQueue.create(sqs(), sqsConfig());
    }

    /** The dead-letter queue of the task queue; a usage error when it has none. */
    SqsDeadLetterQueue deadLetterQueue() {
        SqsTaskQueue queue = queue();
        Optional<SqsDeadLetterQueue> dlq = SqsDeadLetterQueue.of(sqs(), sqsConfig());
        return dlq.orElseThrow(() -> new CliException(ExitCodes.USAGE, "the task queue " + queue.queueUrl()
                + " has no dead-letter queue: set SQS_DLQ_URL or give the queue a RedrivePolicy"));
    }

    @Override
    public void close() {
        if (sqs != null) {
            sqs.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (graph != null) {
            graph.close();
        }
    }
}
