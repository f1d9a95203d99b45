package dev.segrel.cli.queue;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.CommandGroup;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.QueueAdmin.DeadLetter;
import dev.segrel.core.port.out.QueueAdmin.QueueStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segrel queue …}: what {@code purge_sqs.py} and the AWS console did, on the task queue and its dead letters. */
@Command(
        name = "queue",
        description = "Inspect, purge and redrive the task queue (SQS_QUEUE_URL) and its dead-letter queue.",
        footer = ExitCodes.FOOTER)
public final class QueueCommands extends CommandGroup {

    /** {@code segrel queue stats}. */
    @Command(
            name = "stats",
            description = "Show the task queue's approximate counts and its dead-letter queue's.",
            footer = {"", "Examples:", "  segrel queue stats", "  segrel queue stats --json", ExitCodes.FOOTER})
    public static final class Stats implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Mixin
        JsonOutput json;

        public Stats(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            try (Services services = Services.open(context)) {
                QueueAdmin queue = services.get(QueueAdmin.class);
                QueueStats stats = queue.stats();
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("queue_url", queue.queueUrl());
                node.put("visible", stats.visible());
                node.put("in_flight", stats.inFlight());
                node.put("delayed", stats.delayed());
                node.put("dead_letter_visible",
                        stats.deadLetterVisible().isPresent() ? stats.deadLetterVisible().getAsLong() : null);
                json.print(spec.commandLine().getOut(), node, String.format("queue %s%n  visible %d  in flight %d"
                                + "  delayed %d%n  %s", queue.queueUrl(), stats.visible(), stats.inFlight(), stats.delayed(),
                        stats.deadLetterVisible().isPresent()
                                ? "dead-letter queue: " + stats.deadLetterVisible().getAsLong() + " messages"
                                : "no dead-letter queue"));
                return ExitCodes.OK;
            }
        }
    }

    /** {@code segrel queue purge}. */
    @Command(
            name = "purge",
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

        @Mixin
        JsonOutput json;

        public Purge(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() throws IOException {
            try (Services services = Services.open(context)) {
                QueueAdmin queue = services.get(QueueAdmin.class);
                QueueStats stats = queue.stats();
                long count = stats.visible() + stats.inFlight() + stats.delayed();
                if (!yes) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.printf("Purge about %d messages of %s? [y/N] ", count, queue.queueUrl());
                    err.flush();
                    String answer = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8))
                            .readLine();
                    if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
                        err.println();
                        throw new CliException(ExitCodes.USAGE,
                                "purge not confirmed: nothing was deleted (--yes skips the question)");
                    }
                }
                queue.purge();
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("queue_url", queue.queueUrl());
                node.put("purged", count);
                json.print(spec.commandLine().getOut(), node,
                        String.format("purged %s (about %d messages)", queue.queueUrl(), count));
                return ExitCodes.OK;
            }
        }
    }

    /** {@code segrel queue dlq}. */
    @Command(
            name = "dlq",
            description = "The task queue's dead-letter queue (SQS_DLQ_URL, else its RedrivePolicy's target).",
            footer = ExitCodes.FOOTER)
    public static final class Dlq extends CommandGroup {}

    /** {@code segrel queue dlq list}. */
    @Command(
            name = "list",
            description = {
                "Show the dead-letter queue's messages with the reason segrel gave (without",
                "removing them; each look counts as a receive). --json prints an array of",
                "{message_id, reason, receive_count, sent_at, body}."
            },
            footer = {"", "Examples:", "  segrel queue dlq list", "  segrel queue dlq list --max 100 --json", ExitCodes.FOOTER})
    public static final class DlqList implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--max", paramLabel = "N", defaultValue = "20", description = "At most N messages (default: ${DEFAULT-VALUE}).")
        int max;

        @Mixin
        JsonOutput json;

        public DlqList(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            checkMax(max);
            try (Services services = Services.open(context)) {
                QueueAdmin queue = services.get(QueueAdmin.class);
                String dlq = deadLetterQueueOf(queue);
                List<DeadLetter> letters = queue.peekDeadLetters(max);
                List<Object> document = new ArrayList<>();
                StringBuilder text = new StringBuilder(letters.isEmpty() ? "The dead-letter queue " + dlq + " is empty." : "");
                for (DeadLetter d : letters) {
                    Map<String, Object> node = new LinkedHashMap<>();
                    node.put("message_id", d.messageId());
                    node.put("reason", d.reason());
                    node.put("receive_count", d.receiveCount());
                    node.put("sent_at", d.sentAt().toString());
                    node.put("body", d.body());
                    document.add(node);
                    text.append(text.isEmpty() ? "" : System.lineSeparator()).append(String.format("%s  received %d×  %s%n    %s",
                            d.messageId(), d.receiveCount(),
                            d.reason() == null ? "(moved by the redrive policy)" : d.reason(), abbreviate(d.body())));
                }
                json.print(spec.commandLine().getOut(), document, text.toString());
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
            description = "Move dead-letter messages back to the task queue (once the cause is fixed).",
            footer = {"", "Examples:", "  segrel queue dlq redrive", "  segrel queue dlq redrive --max 10", ExitCodes.FOOTER})
    public static final class DlqRedrive implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--max", paramLabel = "N", defaultValue = "100000",
                description = "At most N messages (default: ${DEFAULT-VALUE}).")
        int max;

        @Mixin
        JsonOutput json;

        public DlqRedrive(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            checkMax(max);
            try (Services services = Services.open(context)) {
                QueueAdmin queue = services.get(QueueAdmin.class);
                String dlq = deadLetterQueueOf(queue);
                int moved = queue.redriveDeadLetters(max);
                json.print(spec.commandLine().getOut(), Map.of("moved", moved),
                        String.format("moved %d messages from %s to %s", moved, dlq, queue.queueUrl()));
                return ExitCodes.OK;
            }
        }
    }

    private static void checkMax(int max) {
        if (max < 1) {
            throw new CliException(ExitCodes.USAGE, "--max must be >= 1, was " + max);
        }
    }

    /** The dead-letter queue; a usage error when the task queue has none. */
    private static String deadLetterQueueOf(QueueAdmin queue) {
        return queue.deadLetterQueueUrl().orElseThrow(() -> new CliException(ExitCodes.USAGE, "the task queue "
                + queue.queueUrl() + " has no dead-letter queue: set SQS_DLQ_URL or give the queue a RedrivePolicy"));
    }
}
