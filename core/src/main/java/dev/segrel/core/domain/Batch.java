package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A batch message's segments of one job, as the deployed producer sends them: once every one of
 * them is terminal in the job's current run, one completion message announces the batch to the
 * downstream consumer.
 *
 * @param jobId the job ({@code root_job_id})
 * @param manifestationId the job's text ({@code text_id})
 * @param batchNumber the producer's number of the batch (from 1), or null when the message has none
 * @param totalSegments the job's number of segments as the message says, or null
 * @param segmentIds the batch's segment ids, in the message's order, without repeats; never empty
 * @param sourceEnvironment the graph's environment, or null for the default graph
 * @param destinationEnvironment where the consumer posts the results, or null (then the batch is
 *     computed but not announced: the consumer cannot read a message without it)
 */
public record Batch(JobId jobId, String manifestationId, Integer batchNumber, Integer totalSegments,
        List<String> segmentIds, String sourceEnvironment, String destinationEnvironment) {

    public Batch {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(manifestationId, "manifestationId is null");
        segmentIds = List.copyOf(new LinkedHashSet<>(requireNonNull(segmentIds, "segmentIds is null")));
        if (segmentIds.isEmpty()) {
            throw new IllegalArgumentException("segmentIds is empty");
        }
    }

    /**
     * The batch's identity within a run of its job: its number when it has one (the producer numbers
     * its batches), else {@code h} and 16 hex digits of a SHA-256 of its ids. The same batch sent
     * twice has the same key.
     */
    public String key() {
        if (batchNumber != null) {
            return Integer.toString(batchNumber);
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String id : segmentIds) {
                digest.update(id.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return "h" + HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** True when a completion message is to announce the batch. */
    public boolean announced() {
        return destinationEnvironment != null;
    }
}
