package dev.segrel.core.usecase;

import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.in.ProcessTask.Done;
import dev.segrel.core.port.in.ProcessTask.Failed;
import dev.segrel.core.port.in.ProcessTask.Outcome;
import dev.segrel.core.port.in.ProcessTask.RetryLater;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The log lines of a processed set, under {@link ProcessTaskService}'s logger: a line per task in the
 * existing service's format (job, segment and attempt as fields), a line per set, and one line for
 * all of a set's retries whatever their number.
 */
final class SetLog {

    private static final Logger log = LoggerFactory.getLogger(ProcessTaskService.class);

    /** Items a line names; the rest are counted. */
    static final int NAMED = 3;

    private SetLog() {}

    /** A task about to be computed: a retry or a takeover is worth a line of its own. */
    static void starting(TaskKey key, int attempt) {
        if (attempt > 1) {
            withTask(key, attempt, () -> log.info("Processing segment {} for job {} again (attempt {})",
                    key.segmentId(), key.jobId(), attempt));
        } else if (log.isDebugEnabled()) {
            log.debug("Processing segment {} for job {} (attempt {})", key.segmentId(), key.jobId(), attempt);
        }
    }

    /** The outcomes of a set computed and stored in {@code millis}. */
    static void ended(List<Outcome> outcomes, long millis) {
        int done = 0;
        List<String> retrying = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            switch (outcome) {
                case Done d -> done++;
                case RetryLater later -> retrying.add(later.key().segmentId() + ": " + later.reason());
                case Failed failed -> log.error("Segment {} for job {} FAILED after {} attempts: {}",
                        failed.key().segmentId(), failed.key().jobId(), failed.attempt(), failed.reason());
                default -> { }
            }
        }
        if (!retrying.isEmpty()) {
            log.warn("{} of {} segments will be retried: {}", retrying.size(), outcomes.size(), firstAndMore(retrying));
        }
        if (log.isInfoEnabled()) {
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Done d) {
                    withTask(d.key(), d.attempt(), () -> log.info("Completed segment {} for job {}: {} mappings",
                            d.key().segmentId(), d.key().jobId(), d.mappings()));
                }
            }
            if (outcomes.size() > 1 && done > 0) {
                log.info("Completed {} of {} segments in one set ({} ms)", done, outcomes.size(), millis);
            }
        }
    }

    /** The first {@value #NAMED} items, {@code "; "}-separated, then how many more: one line however many. */
    static String firstAndMore(List<String> items) {
        int named = Math.min(NAMED, items.size());
        String line = String.join("; ", items.subList(0, named));
        return items.size() > named ? line + "; and " + (items.size() - named) + " more" : line;
    }

    private static void withTask(TaskKey key, int attempt, Runnable line) {
        MDC.put("segment_id", key.segmentId());
        MDC.put("attempt", Integer.toString(attempt));
        try {
            line.run();
        } finally {
            MDC.remove("attempt");
            MDC.remove("segment_id");
        }
    }
}
