package dev.segrel.worker;

import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.ProcessTask;
import java.util.Locale;

/**
 * The fixed set of reasons a task fails or a message is dead-lettered, as the {@code reason} label of
 * the metrics: a code per kind of cause, never the free text (which names jobs and segments and would
 * make a series per message). Read from the outcome and the start of its reason; what is not
 * recognised is {@link #OTHER}, so the set stays bounded whatever the text becomes.
 */
enum Reason {
    /** The task used up its attempts (its holders kept dying, or every attempt hit a transient fault). */
    ATTEMPTS_EXHAUSTED,
    /** The task's manifestation is not in the graph. */
    MANIFESTATION_MISSING,
    /** The graph could not be reached on the last attempt. */
    GRAPH_UNAVAILABLE,
    /** The store could not be reached on the last attempt. */
    STORE_UNAVAILABLE,
    /** A bug or bad data: an exception nobody expected. */
    UNEXPECTED_ERROR,
    /** The body is not a task message (not JSON, a field missing, a bad span). */
    POISON,
    /** The message names a job that does not exist. */
    UNKNOWN_JOB,
    /** The message names a segment the job has no task for (and none could be made). */
    UNKNOWN_TASK,
    /** Neither the stored task nor the message gives a span (and, for a failure, nor the graph). */
    NO_SPAN,
    /** The message's text is not the job's manifestation. */
    OTHER_MANIFESTATION,
    /** A dead letter because one of its tasks failed for good (the task's own reason is on the failure). */
    TASK_FAILED,
    /** The search reached a segment stored with an invalid span (permanent: fix the graph, then reprocess). */
    INVALID_GRAPH_DATA,
    /** Anything else. */
    OTHER;

    /** The label value: {@code attempts_exhausted}, {@code poison} and so on. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Why a task failed for good. */
    static Reason of(ProcessTask.Failed failed) {
        return fromText(failed.reason());
    }

    /** Why a message goes to the dead-letter queue. */
    static Reason of(HandleTaskMessage.DeadLetter dead, HandleTaskMessage.Handled handled) {
        if (dead.poison()) {
            return POISON;
        }
        for (ProcessTask.Outcome outcome : handled.outcomes()) {
            if (outcome instanceof ProcessTask.Failed) {
                return TASK_FAILED;
            }
        }
        for (ProcessTask.Outcome outcome : handled.outcomes()) {
            if (outcome instanceof ProcessTask.Rejected rejected) {
                return fromText(rejected.reason());
            }
        }
        // refused before its tasks were looked at (a batch of a missing job, or of another text)
        return fromText(dead.reason());
    }

    static Reason fromText(String text) {
        if (text == null) {
            return OTHER;
        }
        String t = text.strip();
        if (t.startsWith("poison message")) {
            return POISON;
        }
        if (t.startsWith("attempts used up")) {
            return ATTEMPTS_EXHAUSTED;
        }
        if (t.startsWith("manifestation ") && t.contains(" is not in the graph")) {
            return MANIFESTATION_MISSING;
        }
        if (t.startsWith("graph unavailable")) {
            return GRAPH_UNAVAILABLE;
        }
        if (t.startsWith("store unavailable")) {
            return STORE_UNAVAILABLE;
        }
        if (t.startsWith("invalid graph data")) {
            return INVALID_GRAPH_DATA;
        }
        if (t.startsWith("unexpected error")) {
            return UNEXPECTED_ERROR;
        }
        if (t.startsWith("unknown job")) {
            return UNKNOWN_JOB;
        }
        if (t.startsWith("unknown task")) {
            return UNKNOWN_TASK;
        }
        if (t.startsWith("task has no span") || t.startsWith("no span")) {
            return NO_SPAN;
        }
        if (t.startsWith("job ") && (t.contains(" is not a job of ") || t.contains(" is a job of "))) {
            return OTHER_MANIFESTATION;
        }
        return OTHER;
    }
}
