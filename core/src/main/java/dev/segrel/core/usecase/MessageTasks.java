package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.core.port.in.ProcessTask.Outcome;
import dev.segrel.core.port.in.ProcessTask.Rejected;
import dev.segrel.core.port.in.ProcessTask.RetryLater;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.InvalidGraphDataException;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskClaims.ClaimRequest;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks made from messages ({@link TaskClaims#create}): only for a job that exists and a segment of its
 * text in the environment's graph ({@link SegmentCatalog}), so an invented id makes no row; and, when none
 * is made, the outcome that says why.
 */
final class MessageTasks {

    private static final Logger log = LoggerFactory.getLogger(MessageTasks.class);

    private final TaskClaims claims;
    private final SegmentCatalog catalog;
    private final BiFunction<TaskKey, String, RetryLater> transientBeforeClaim;

    MessageTasks(TaskClaims claims, SegmentCatalog catalog, BiFunction<TaskKey, String, RetryLater> transientBeforeClaim) {
        this.claims = requireNonNull(claims, "claims is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.transientBeforeClaim = requireNonNull(transientBeforeClaim, "transientBeforeClaim is null");
    }

    /**
     * The manifestation a missing task may be made for: the message's, when it gives a span and the
     * segment is one of that manifestation's in the graph; else null. A graph that cannot be asked is
     * noted in {@code graphDown} (by environment), and nothing is made.
     */
    String createFor(Command command, Map<String, String> graphDown) {
        if (command.manifestationId() == null || command.spanHint() == null) {
            return null;
        }
        String environment = String.valueOf(command.environment());
        if (graphDown.containsKey(environment)) {
            return null;
        }
        try {
            return catalog.contains(command.environment(), command.manifestationId(), command.key().segmentId())
                    ? command.manifestationId() : null;
        } catch (GraphUnavailableException e) {
            graphDown.put(environment, String.valueOf(e.getMessage()));
            return null;
        } catch (InvalidGraphDataException e) {
            // the text's segments cannot all be read: existing tasks still run, none is made
            log.debug("Cannot list the segments of {}: {}", command.manifestationId(), e.getMessage());
            return null;
        }
    }

    /** Why a task is missing and was not made: the job's fault, the segment's, or a graph that could not say. */
    Outcome unknown(Command command, ClaimRequest request, Instant now, Map<String, String> graphDown) {
        TaskKey key = command.key();
        if (command.manifestationId() == null || command.spanHint() == null) {
            return new Rejected(key, "unknown task: no segment " + key.segmentId() + " in job " + key.jobId());
        }
        String down = graphDown.get(String.valueOf(command.environment()));
        if (down != null) {
            return transientBeforeClaim.apply(key, "graph unavailable: " + down);
        }
        if (request.createFor() == null) {
            return new Rejected(key, "unknown task: segment " + key.segmentId() + " is not a segment of "
                    + command.manifestationId() + " in the graph" + environmentNote(command.environment())
                    + "; no task made");
        }
        // the claim would have made it: the job is missing or of another text (a rare path: one call each)
        TaskClaims.Creation creation;
        try {
            creation = claims.create(key, command.manifestationId(), command.spanHint(), now);
        } catch (StoreUnavailableException e) {
            return transientBeforeClaim.apply(key, "store unavailable: " + e.getMessage());
        }
        return switch (creation) {
            case UNKNOWN_JOB -> new Rejected(key, "unknown job: no job " + key.jobId());
            case OTHER_MANIFESTATION -> new Rejected(key, "job " + key.jobId() + " is not a job of "
                    + command.manifestationId());
            // made since (a job created meanwhile): the message's next delivery claims it
            case MADE, EXISTED -> transientBeforeClaim.apply(key, "task made after the claim");
        };
    }

    static String environmentNote(String environment) {
        return environment == null ? "" : " of environment " + environment;
    }
}
