package dev.segrel.testkit.graph;

import static dev.segrel.testkit.graph.GraphFixture.seg;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.port.out.Jobs;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker and fault suites' job graph: root {@code R} (segments {@code r0..r(n-1)}, 10 characters
 * each) aligned 1:1 to translation {@code T}, and {@code T} aligned 2:1 to commentary {@code C}. Every
 * segment of R relates to one segment of T and one of C, over two levels of BFS.
 */
public final class ThreeTextCanon {

    /** The manifestation the jobs are made of. */
    public static final String ROOT = "R";

    private ThreeTextCanon() {}

    /** The id of segment {@code i} of the root. */
    public static String rootSegment(int i) {
        return "r" + i;
    }

    /** The span of segment {@code i} of the root. */
    public static Span rootSpan(int i) {
        return new Span(i * 10, i * 10 + 10);
    }

    /** A job over the first {@code n} segments of the root, each task with its span. */
    public static Jobs.NewJob job(JobId id, int n) {
        List<NewTask> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(new NewTask(rootSegment(i), rootSpan(i)));
        }
        return new Jobs.NewJob(id, ROOT, tasks);
    }

    /** One task message (the single format producers send) per task of {@link #job}, in segment order. */
    public static List<String> taskBodies(JobId id, int n) {
        List<String> bodies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bodies.add(TaskMessage.toSingleJson(new TaskRequest(id, ROOT, rootSegment(i), rootSpan(i))));
        }
        return bodies;
    }

    /** The canon with {@code n} root segments. */
    public static GraphFixture of(int n) {
        return of(n, 0);
    }

    /**
     * The canon with {@code n} root segments whose alignment to the translation is shifted: root
     * segment {@code i} aligned to translation segment {@code (i + shift) % n}. Another graph of the
     * same texts, where a search in the wrong one shows.
     */
    public static GraphFixture of(int n, int shift) {
        GraphFixture f = new GraphFixture().manifestation(ROOT).manifestation("T").manifestation("C");
        Segment[] r = new Segment[n];
        Segment[] ra = new Segment[n];
        Segment[] t = new Segment[n];
        Segment[] ta = new Segment[n];
        Segment[] tc = new Segment[n];
        int half = (n + 1) / 2;
        Segment[] c = new Segment[half];
        Segment[] ca = new Segment[half];
        for (int i = 0; i < n; i++) {
            Span span = rootSpan(i);
            r[i] = new Segment(rootSegment(i), span);
            ra[i] = new Segment("ra" + i, span);
            t[i] = seg("t" + i, i * 12, i * 12 + 12);
            ta[i] = seg("ta" + i, i * 12, i * 12 + 12);
            tc[i] = seg("tc" + i, i * 12, i * 12 + 12);
        }
        for (int i = 0; i < half; i++) {
            c[i] = seg("c" + i, i * 30, i * 30 + 30);
            ca[i] = seg("ca" + i, i * 30, i * 30 + 30);
        }
        f.segmentation(ROOT, "R-seg", r).alignment(ROOT, "R-al", ra);
        f.segmentation("T", "T-seg", t).alignment("T", "T-al", ta).alignment("T", "T-al-c", tc);
        f.segmentation("C", "C-seg", c).alignment("C", "C-al", ca);
        f.linkAnnotations("R-al", "T-al").linkAnnotations("T-al-c", "C-al");
        for (int i = 0; i < n; i++) {
            f.linkSegments("ra" + i, "ta" + ((i + shift) % n));
            f.linkSegments("tc" + i, "ca" + (i / 2));
        }
        return f;
    }
}
