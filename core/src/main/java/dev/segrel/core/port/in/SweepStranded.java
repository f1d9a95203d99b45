package dev.segrel.core.port.in;

/**
 * Re-dispatches tasks that no live message will bring to a worker: IN_PROGRESS tasks whose lease
 * expired (their worker died) and QUEUED or RETRYING tasks untouched for the stranded period (their
 * message was lost). Safe with many sweepers at once: the store hands each task to one of them, and
 * a duplicate message is a no-op for the worker that gets it.
 *
 * <p>A task created without a span (as the existing producers create them) whose message was lost
 * gets its span from the graph (the manifestation's segmentation, then its pagination); one whose
 * segment the graph does not have is not sent, and is offered again after the stranded period.
 *
 * <p>Blocks while it reads and sends; thread-safe. Faults of the store or the queue propagate.
 */
public interface SweepStranded {

    /**
     * What one sweep did.
     *
     * @param expired IN_PROGRESS tasks whose lease had expired, taken back
     * @param stranded QUEUED or RETRYING tasks whose message was presumably lost
     * @param sent task messages sent
     * @param withoutSpan tasks not sent because neither the store nor the graph gives their span
     */
    record SweepReport(int expired, int stranded, int sent, int withoutSpan) {}

    /** One sweep of up to one batch of each kind. */
    SweepReport sweepOnce();
}
