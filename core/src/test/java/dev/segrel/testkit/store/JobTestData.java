package dev.segrel.testkit.store;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.domain.NewTask;
import java.util.ArrayList;
import java.util.List;

/** Builds jobs for store tests: {@code aJob().withTasks(3).build()} has segments S0, S1, S2 with spans. */
public final class JobTestData {

    private JobId jobId = JobId.random();
    private String manifestationId = "M1";
    private int tasks = 1;
    private boolean withSpans = true;

    private JobTestData() {}

    public static JobTestData aJob() {
        return new JobTestData();
    }

    public JobTestData withId(JobId id) {
        this.jobId = id;
        return this;
    }

    public JobTestData withManifestation(String id) {
        this.manifestationId = id;
        return this;
    }

    public JobTestData withTasks(int count) {
        this.tasks = count;
        return this;
    }

    /** Tasks without a stored span, as the existing producers create them. */
    public JobTestData withoutSpans() {
        this.withSpans = false;
        return this;
    }

    public NewJob build() {
        List<NewTask> list = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            list.add(new NewTask(segmentId(i), withSpans ? spanOf(i) : null));
        }
        return new NewJob(jobId, manifestationId, list);
    }

    public static String segmentId(int i) {
        return "S" + i;
    }

    public static Span spanOf(int i) {
        return new Span(i * 10, i * 10 + 10);
    }
}
