package dev.segrel.core.port.in;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a worker does with one received task message: parse it (either format), process each task it
 * names ({@link ProcessTask}), record what is refused, and say what to do with the message. The
 * caller only acts on the {@link Disposition}: delete the message, make it visible again later, or
 * move it to the dead-letter queue.
 *
 * <p>Never throws for anything a message can contain; faults of the graph or the store become a
 * later delivery. Thread-safe: one instance serves every message a worker has in flight.
 */
public interface HandleTaskMessage {

    /**
     * A received message.
     *
     * @param messageId the queue's id of the message (recorded with a refusal)
     * @param body the body, as sent
     * @param owner who claims its tasks: the worker's id
     * @param trace the trace its processing continues (the receive span's), or null
     */
    record Message(String messageId, String body, String owner, TraceContext trace) {
        public Message {
            requireNonNull(messageId, "messageId is null");
            requireNonNull(body, "body is null");
            requireNonNull(owner, "owner is null");
        }

        /** A message outside any trace. */
        public Message(String messageId, String body, String owner) {
            this(messageId, body, owner, null);
        }

        /** Without the body, which may be large. */
        @Override
        public String toString() {
            return "Message[" + messageId + "]";
        }
    }

    /** What to do with the message. */
    sealed interface Disposition permits Acknowledge, RetryAfter, DeadLetter {}

    /** Every task is done (or was done already): delete the message. */
    record Acknowledge() implements Disposition {}

    /** Some task must run again later: make the message visible again after {@code after}. */
    record RetryAfter(Duration after) implements Disposition {
        public RetryAfter {
            requireNonNull(after, "after is null");
        }
    }

    /**
     * The message is refused, or its tasks failed for good: move it to the dead-letter queue with
     * {@code reason} (one line, no secrets). It is already recorded as a rejected message.
     *
     * @param poison true when the body itself is unreadable (not JSON, a field missing, a bad span)
     */
    record DeadLetter(String reason, boolean poison) implements Disposition {
        public DeadLetter {
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * The disposition of the message, the outcome of each task it named (none for a poison message),
     * and the environment it named, for metrics.
     *
     * @param environment the batch message's {@code source_environment} as sent (a valid
     *     {@link dev.segrel.core.domain.EnvironmentName}, in any case), or null: none named, a
     *     single-segment message, or a poison one
     */
    record Handled(Disposition disposition, List<ProcessTask.Outcome> outcomes, String environment) {
        public Handled {
            requireNonNull(disposition, "disposition is null");
            outcomes = List.copyOf(requireNonNull(outcomes, "outcomes is null"));
        }

        /** A message that named no environment. */
        public Handled(Disposition disposition, List<ProcessTask.Outcome> outcomes) {
            this(disposition, outcomes, null);
        }
    }

    /** Handles one message; blocks while its tasks compute. */
    Handled handle(Message message);

    /**
     * Handles the messages of one receive together: the tasks of all of them are claimed and
     * completed as one set ({@link ProcessTask#processAll}). One result per message, in order, each
     * as {@link #handle} would give it alone.
     */
    List<Handled> handleAll(List<Message> messages);

    /** Heartbeat: extends the lease of every task being processed now (see {@link ProcessTask#extendLeases}). */
    int extendLeases(Instant now);

    /** Shutdown: gives back every task still held (see {@link ProcessTask#releaseAll}). */
    int releaseAll(Instant now);

    /** Shutdown: messages whose tasks wait for room are answered at once (see {@link ProcessTask#stopWaiting}). */
    default void stopWaiting() {
    }
}
