package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.QueueAdmin.QueueStats;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.TaskRecovery;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many tasks the task queue provably holds no message for: those that expect one beyond what
 * every message it counts (visible, in flight, delayed) could carry. Errs toward zero wherever the
 * inputs are uncertain (see {@link dev.segrel.core.port.in.SweepStranded}).
 */
final class QueueShortfall {

    private static final Logger log = LoggerFactory.getLogger(QueueShortfall.class);

    private final TaskRecovery recovery;
    private final QueueAdmin counts;
    private final int tasksPerMessage;

    /** @param counts null: no counters, so no task is ever provably missing its message */
    QueueShortfall(TaskRecovery recovery, QueueAdmin counts, int tasksPerMessage) {
        this.recovery = requireNonNull(recovery, "recovery is null");
        this.counts = counts;
        this.tasksPerMessage = tasksPerMessage;
    }

    /**
     * How many tasks lack a message: those that expect one (untouched since {@code settledSince}, so that
     * the queue's lagging counters have seen their messages) beyond what every message the queue counts
     * could carry.
     */
    long tasksMissing(Instant settledSince) {
        if (counts == null) {
            return 0;
        }
        if (recovery.countExpectingMessage(settledSince) == 0) {
            return 0; // the common case costs no queue call
        }
        QueueStats stats;
        try {
            stats = counts.stats();
        } catch (QueueUnavailableException e) {
            log.warn("The sweeper could not read the task queue's counters ({}); no task is re-sent for a short queue"
                    + " this sweep", Secrets.redact(String.valueOf(e.getMessage())));
            return 0;
        }
        // counted after the queue: a task that ends (its message deleted) between the two reads then
        // leaves the count too, instead of looking like a task whose message was lost
        long expecting = recovery.countExpectingMessage(settledSince);
        long held = stats.visible() + stats.inFlight() + stats.delayed();
        long couldCarry = held > Long.MAX_VALUE / tasksPerMessage ? Long.MAX_VALUE : held * tasksPerMessage;
        long missing = expecting - couldCarry;
        if (missing > 0) {
            log.info("{} tasks untouched since {} expect a message and the task queue holds {} (of up to {} tasks"
                    + " each): {} are missing theirs", expecting, settledSince, held, tasksPerMessage, missing);
        }
        return Math.max(0, missing);
    }
}
