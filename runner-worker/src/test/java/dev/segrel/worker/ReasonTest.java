package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.in.HandleTaskMessage.DeadLetter;
import dev.segrel.core.port.in.HandleTaskMessage.Handled;
import dev.segrel.core.port.in.ProcessTask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reasons core gives, as it words them, map to their codes; any other text is OTHER, never itself. */
class ReasonTest {

    private static final TaskKey KEY = new TaskKey(JobId.random(), "S1");

    @Test
    void theFailuresCoreReportsHaveTheirCodes() {
        assertThat(failed("attempts used up (3 of 3); the last holder's lease expired")).isEqualTo(Reason.ATTEMPTS_EXHAUSTED);
        assertThat(failed("manifestation M9 is not in the graph of environment PRODUCTION"))
                .isEqualTo(Reason.MANIFESTATION_MISSING);
        assertThat(failed("graph unavailable: bolt://neo4j:***@graph:7687")).isEqualTo(Reason.GRAPH_UNAVAILABLE);
        assertThat(failed("store unavailable: timeout")).isEqualTo(Reason.STORE_UNAVAILABLE);
        assertThat(failed("unexpected error: java.lang.IllegalStateException: x")).isEqualTo(Reason.UNEXPECTED_ERROR);
        assertThat(failed("invalid graph data: segment s1 of manifestation M: span_start is missing"))
                .isEqualTo(Reason.INVALID_GRAPH_DATA);
        assertThat(failed("no span: segment S9 of manifestation M1 has no span in its task row, its message or the graph"))
                .isEqualTo(Reason.NO_SPAN);
        assertThat(failed("job 1234 for segment S1 broke in a new way")).isEqualTo(Reason.OTHER);
        assertThat(failed(null)).isEqualTo(Reason.OTHER);
    }

    @Test
    void aDeadLetterIsPoisonATaskFailureOrItsFirstRefusal() {
        assertThat(Reason.of(new DeadLetter("poison message: not JSON", true), new Handled(new DeadLetter("x", true),
                List.of()))).isEqualTo(Reason.POISON);
        assertThat(dead(new ProcessTask.Rejected(KEY, "unknown task: no segment S1 in job j"),
                new ProcessTask.Failed(KEY, 3, "graph unavailable: x", false))).isEqualTo(Reason.TASK_FAILED);
        assertThat(dead(new ProcessTask.Rejected(KEY, "unknown job: no job j"))).isEqualTo(Reason.UNKNOWN_JOB);
        assertThat(dead(new ProcessTask.Rejected(KEY, "task has no span: neither the stored task nor the message")))
                .isEqualTo(Reason.NO_SPAN);
        assertThat(dead(new ProcessTask.Rejected(KEY, "job j is not a job of M2"))).isEqualTo(Reason.OTHER_MANIFESTATION);
        assertThat(Reason.of(new DeadLetter("job j is a job of M1, not of text_id M2", false),
                new Handled(new DeadLetter("x", false), List.of()))).isEqualTo(Reason.OTHER_MANIFESTATION);
    }

    @Test
    void theLabelsAreSnakeCase() {
        assertThat(Reason.ATTEMPTS_EXHAUSTED.label()).isEqualTo("attempts_exhausted");
    }

    private static Reason failed(String reason) {
        return Reason.of(new ProcessTask.Failed(KEY, 1, reason, false));
    }

    private static Reason dead(ProcessTask.Outcome... outcomes) {
        DeadLetter dead = new DeadLetter("summary", false);
        return Reason.of(dead, new Handled(dead, List.of(outcomes)));
    }
}
