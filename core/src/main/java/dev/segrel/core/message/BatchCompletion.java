package dev.segrel.core.message;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.json.JsonWriter;

/**
 * The completion message of a batch, in the deployed worker's own format, which the downstream
 * consumer reads: {@code {"text_id","segment_ids","total_segments","source_environment",
 * "destination_environment"}} (exactly the batch's ids, in its order), followed by segrel's extra
 * members {@code root_job_id}, {@code batch_number}, {@code run}, {@code status} ({@code COMPLETED},
 * or {@code FAILED} when a segment of the batch failed for good) and the batch's
 * {@code completed_segments} and {@code failed_segments}. Members whose value is unknown are
 * {@code null}.
 */
public final class BatchCompletion {

    private BatchCompletion() {}

    /**
     * @param jobTotal the job row's {@code total_segments}, used when the message gave none
     * @param run the job's run the batch was computed in (0 for the first)
     */
    public static String toJson(Batch batch, int jobTotal, int run, int completed, int failed) {
        requireNonNull(batch, "batch is null");
        JsonWriter w = new JsonWriter().beginObject()
                .name("text_id").string(batch.manifestationId()).comma()
                .name("segment_ids").beginArray();
        for (int i = 0; i < batch.segmentIds().size(); i++) {
            if (i > 0) {
                w.comma();
            }
            w.string(batch.segmentIds().get(i));
        }
        w.endArray().comma()
                .name("total_segments").number(batch.totalSegments() != null ? batch.totalSegments() : jobTotal).comma()
                .name("source_environment").value(batch.sourceEnvironment()).comma()
                .name("destination_environment").value(batch.destinationEnvironment()).comma()
                .name("root_job_id").string(batch.jobId().toString()).comma()
                .name("batch_number").value(batch.batchNumber()).comma()
                .name("run").number(run).comma()
                .name("status").string(failed > 0 ? "FAILED" : "COMPLETED").comma()
                .name("completed_segments").number(completed).comma()
                .name("failed_segments").number(failed);
        return w.endObject().toString();
    }
}
