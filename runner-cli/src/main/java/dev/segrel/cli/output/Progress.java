package dev.segrel.cli.output;

import dev.segrel.core.domain.JobStatus;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a job's progress on stderr: a progress bar on a terminal, else one plain line per change
 * (logs and CI output stay readable).
 */
public final class Progress implements AutoCloseable {

    private final PrintWriter plain;
    private final ProgressBar bar;
    private long lastDone = -1;

    private Progress(PrintWriter plain, ProgressBar bar) {
        this.plain = plain;
        this.bar = bar;
    }

    /** A bar when the process runs at a terminal (stderr then is it), else plain lines on {@code err}. */
    public static Progress on(PrintWriter err, String task, long total) {
        if (Terminal.isInteractive()) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(Math.max(total, 1))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                    .setUpdateIntervalMillis(200)
                    .showSpeed()
                    .build();
            return new Progress(err, bar);
        }
        return new Progress(err, null);
    }

    public void update(JobStatus status) {
        long done = status.done();
        if (bar != null) {
            bar.maxHint(Math.max(status.totalSegments(), 1));
            bar.stepTo(done);
            bar.setExtraMessage(status.failedSegments() > 0 ? status.failedSegments() + " failed" : "");
            return;
        }
        if (done != lastDone) {
            lastDone = done;
            plain.printf("segrel: job %s %s: %d/%d done (%d failed)%n", status.jobId(), status.state(), done,
                    status.totalSegments(), status.failedSegments());
            plain.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** A duration as people read it: {@code 42s}, {@code 3m05s}, {@code 2h10m}. */
    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
