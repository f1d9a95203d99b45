package dev.segrel.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segrel.core.port.out.TaskQueue.QueueStats;
import dev.segrel.sqs.SqsDeadLetterQueue;
import dev.segrel.sqs.SqsDeadLetterQueue.DeadLetter;
import dev.segrel.sqs.SqsTaskQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segrel queue}: the task queue and its dead-letter queue (what purge_sqs.py and the AWS console did). */
@Command(
        name = "queue",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = "Inspect, purge and redrive the task queue (SQS_QUEUE_URL) and its dead-letter queue.",
        footer = ExitCodes.FOOTER)
public final class QueueCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (stats, purge, dlq)");
    }

    /** {@code segrel queue stats}. */
    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            versionProvider = SegrelVersion.class,
            description = "Show the task queue's approximate counts and its dead-letter queue's.",
            footer = {"", "Examples:", "  segrel queue stats", "  segrel queue stats --json", ExitCodes.FOOTER})
    public static final class Stats implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the counts as one JSON object.")
        boolean json;

        public Stats(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            try (Connections c = new Connections(context)) {
                SqsTaskQueue queue = c.queue();
                QueueStats stats = queue.stats();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    ObjectNode node = MappingsJson.MAPPER.createObjectNode();
                    node.put("queue_url", queue.queueUrl());
                    node.put("visible", stats.visible());
                    node.put("in_flight", stats.inFlight());
                    node.put("delayed", stats.delayed());
                    if (stats.deadLetterVisible().isPresent()) {
                        node.put("dead_letter_visible", stats.deadLetterVisible().getAsLong());
                    } else {
                        node.putNull("dead_letter_visible");
                    }
                    out.println(MappingsJson.write(node));
                } else {
                    out.println("queue " + queue.queueUrl());
                    out.printf("  visible %d  in flight %d  delayed %d%n", stats.visible(), stats.inFlight(), stats.delayed());
                    out.println(stats.deadLetterVisible().isPresent()
                            ? "  dead-letter queue: " + stats.deadLetterVisible().getAsLong() + " messages"
                            : "  no dead-letter queue");
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** {@code segrel queue purge}. */
    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            versionProvider = SegrelVersion.class,
            description = {
                "Delete every message of the task queue (not of its dead-letter queue).",
                "Asks for confirmation on stdin unless --yes. The jobs stay in PostgreSQL:",
                "their QUEUED tasks are re-dispatched by the worker's sweeper later, or",
                "re-sent at once with 'segrel job create --job-id ID -m M'."
            },
            footer = {"", "Examples:", "  segrel queue purge", "  segrel queue purge --yes", ExitCodes.FOOTER})
    public static final class Purge implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Option(names = "--json", description = "Print {\"queue_url\",\"purged\"} as JSON.")
        boolean json;

        public Purge(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() throws IOException {
            try (Connections c = new Connections(context)) {
                SqsTaskQueue queue = c.queue();
                QueueStats stats = queue.stats();
                long count = stats.visible() + stats.inFlight() + stats.delayed();
                if (!yes) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.printf("Purge about %d messages of %s? [y/N] ", count, queue.queueUrl());
                    err.flush();
                    String answer = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8)).readLine();
                    if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
                        err.println();
                        throw new CliException(ExitCodes.USAGE, "purge not confirmed: nothing was deleted (--yes skips the question)");
                    }
                }
                queue.purge();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    ObjectNode node = MappingsJson.MAPPER.createObjectNode();
                    node.put("queue_url", queue.queueUrl());
                    node.put("purged", count);
                    out.println(MappingsJson.write(node));
                } else {
                    out.printf("purged %s (about %d messages)%n", queue.queueUrl(), count);
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** {@code segrel queue dlq}. */
    @Command(
            name = "dlq",
            mixinStandardHelpOptions = true,
            versionProvider = SegrelVersion.class,
            description = "The task queue's dead-letter queue (SQS_DLQ_URL, else its RedrivePolicy's target).",
            footer = ExitCodes.FOOTER)
    public static final class Dlq implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing command (list, redrive)");
        }
    }

    /** {@code segrel queue dlq list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = SegrelVersion.class,
            description = {
                "Show the dead-letter queue's messages with the reason segrel gave (without",
                "removing them; each look counts as a receive)."
            },
            footer = {"", "Examples:", "  segrel queue dlq list", "  segrel queue dlq list --max 100 --json", ExitCodes.FOOTER})
    public static final class DlqList implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--max", paramLabel = "N", defaultValue = "20", description = "At most N messages (default: ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--json", description = "Print a JSON array of {message_id, reason, receive_count, sent_at, body}.")
        boolean json;

        public DlqList(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            if (max < 1) {
                throw new CliException(ExitCodes.USAGE, "--max must be >= 1, was " + max);
            }
            try (Connections c = new Connections(context)) {
                SqsDeadLetterQueue dlq = c.deadLetterQueue();
                List<DeadLetter> letters = dlq.peek(max);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    ArrayNode array = MappingsJson.MAPPER.createArrayNode();
                    for (DeadLetter d : letters) {
                        ObjectNode node = array.addObject();
                        node.put("message_id", d.messageId());
                        node.put("reason", d.reason());
                        node.put("receive_count", d.receiveCount());
                        node.put("sent_at", d.sentAt().toString());
                        node.put("body", d.body());
                    }
                    out.println(MappingsJson.write(array));
                } else if (letters.isEmpty()) {
                    out.println("The dead-letter queue " + dlq.url() + " is empty.");
                } else {
                    for (DeadLetter d : letters) {
                        out.printf("%s  received %d×  %s%n    %s%n", d.messageId(), d.receiveCount(),
                                d.reason() == null ? "(moved by the redrive policy)" : d.reason(), abbreviate(d.body()));
                    }
                }
                out.flush();
                return ExitCodes.OK;
            }
        }

        private static String abbreviate(String body) {
            String flat = body.replaceAll("\\s+", " ");
            return flat.length() <= 200 ? flat : flat.substring(0, 199) + "…";
        }
    }

    /** {@code segrel queue dlq redrive}. */
    @Command(
            name = "redrive",
            mixinStandardHelpOptions = true,
            versionProvider = SegrelVersion.class,
            description = "Move dead-letter messages back to the task queue (once the cause is fixed).",
            footer = {"", "Examples:", "  segrel queue dlq redrive", "  segrel queue dlq redrive --max 10", ExitCodes.FOOTER})
    public static final class DlqRedrive implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--max", paramLabel = "N", defaultValue = "100000",
                description = "At most N messages (default: ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--json", description = "Print {\"moved\":N} as JSON.")
        boolean json;

        public DlqRedrive(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            if (max < 1) {
                throw new CliException(ExitCodes.USAGE, "--max must be >= 1, was " + max);
            }
            try (Connections c = new Connections(context)) {
                SqsDeadLetterQueue dlq = c.deadLetterQueue();
                int moved = dlq.redrive(max);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    ObjectNode node = MappingsJson.MAPPER.createObjectNode();
                    node.put("moved", moved);
                    out.println(MappingsJson.write(node));
                } else {
                    out.printf("moved %d messages from %s to %s%n", moved, dlq.url(), dlq.sourceQueueUrl());
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }
}
