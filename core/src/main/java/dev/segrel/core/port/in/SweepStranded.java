package dev.segrel.core.port.in;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Re-dispatches tasks that no live message will bring to a worker, and only those:
 * <ul>
 *   <li><b>lease expired</b>: IN_PROGRESS tasks whose lease expired (their worker died) are taken back
 *       and sent again;</li>
 *   <li><b>queue short</b>: QUEUED or RETRYING tasks untouched for the stranded period are sent again
 *       only when the task queue provably holds too few messages: when the tasks that should each have
 *       a message in it (QUEUED, RETRYING and IN_PROGRESS) outnumber what every message it counts
 *       (visible, in flight and delayed) could carry at {@link Limits#tasksPerMessage} tasks each. Only
 *       that shortfall is sent, the longest untouched first. A backlog whose messages are all still
 *       queued, however old, gets nothing.</li>
 * </ul>
 * The queue's counters are approximate and lag; every error of the comparison errs toward not
 * sending: every message counts at the most tasks a message may carry, tasks touched within the
 * counters' lag (a minute, or the stranded period if shorter) are left out while their messages
 * count, and when the counters cannot be read nothing is sent for a short queue that sweep. The cost:
 * a truly lost message is sent again only once the queue no longer covers it (at worst when the
 * backlog has drained), some sweeps later, but never not at all. Each sweep sends at most
 * {@link Limits#maxPerRun} tasks; the rest follow in later sweeps.
 *
 * <p>Safe with many sweepers at once: the store hands each task to one of them, and a duplicate
 * message is a no-op for the worker that gets it.
 *
 * <p>A task created without a span (as the existing producers create them) gets its span from the
 * graph (the manifestation's segmentation, then its pagination). One whose segment the graph, when it
 * answers, does not have is FAILED for good with that reason (counted in its job, which can then
 * finish); while the graph cannot be asked it waits.
 *
 * <p>Blocks while it reads and sends; thread-safe. Faults of the store or the queue's sends propagate.
 */
public interface SweepStranded {

    /**
     * How a sweeper works.
     *
     * @param strandedAfter how long a waiting task must be untouched before it may be sent again
     * @param maxPerRun tasks sent (both causes together) per sweep at most
     * @param tasksPerMessage the most tasks one task message may carry (500 for the deployed producer's
     *     batches, 1 where every producer sends single-segment messages): the larger, the more
     *     conservative the queue comparison
     */
    record Limits(Duration strandedAfter, int maxPerRun, int tasksPerMessage) {
        /** The deployed producer's batch size, and so the default of {@link #tasksPerMessage}. */
        public static final int BATCH_TASKS = 500;
        /** Tasks one sweep takes by default. */
        public static final int DEFAULT_MAX_PER_RUN = 500;

        public Limits {
            requireNonNull(strandedAfter, "strandedAfter is null");
            if (strandedAfter.isNegative() || strandedAfter.isZero()) {
                throw new IllegalArgumentException("strandedAfter must be positive, was " + strandedAfter);
            }
            if (maxPerRun < 1) {
                throw new IllegalArgumentException("maxPerRun must be >= 1, was " + maxPerRun);
            }
            if (tasksPerMessage < 1) {
                throw new IllegalArgumentException("tasksPerMessage must be >= 1, was " + tasksPerMessage);
            }
        }

        /** 500 tasks per sweep, messages of up to 500 tasks. */
        public Limits(Duration strandedAfter) {
            this(strandedAfter, DEFAULT_MAX_PER_RUN, BATCH_TASKS);
        }
    }

    /**
     * What one sweep did.
     *
     * @param expired IN_PROGRESS tasks whose lease had expired, taken back
     * @param stranded QUEUED or RETRYING tasks taken because the queue holds too few messages for them
     * @param sent task messages sent, for both causes
     * @param withoutSpan tasks not sent because neither the store nor the graph (unavailable) gives their span
     * @param sentQueueShort of {@code sent}, those for stranded tasks (the rest are for expired leases)
     * @param failedWithoutSpan tasks FAILED for good because the graph answered and has no span for them
     */
    record SweepReport(int expired, int stranded, int sent, int withoutSpan, int sentQueueShort,
            int failedWithoutSpan) {
        public SweepReport {
            if (sentQueueShort > sent) {
                throw new IllegalArgumentException("sentQueueShort " + sentQueueShort + " > sent " + sent);
            }
        }

        /** A sweep that failed nothing and sent only for expired leases. */
        public SweepReport(int expired, int stranded, int sent, int withoutSpan) {
            this(expired, stranded, sent, withoutSpan, 0, 0);
        }

        /** Messages sent for expired leases. */
        public int sentLeaseExpired() {
            return sent - sentQueueShort;
        }
    }

    /** One sweep, of up to {@link Limits#maxPerRun} tasks. */
    SweepReport sweepOnce();
}
