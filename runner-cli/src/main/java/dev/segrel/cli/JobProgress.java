package dev.segrel.cli;

import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.port.out.JobStatus;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a job's progress on stderr: a progress bar on a terminal, else one plain line per change
 * (logs and CI output stay readable).
 */
final class JobProgress implements AutoCloseable {

    private final PrintWriter plain;
    private final ProgressBar bar;
    private long lastDone = -1;

    private JobProgress(PrintWriter plain, ProgressBar bar) {
        this.plain = plain;
        this.bar = bar;
    }

    /** A bar when the process runs at a terminal (stderr then is it), else plain lines on {@code err}. */
    static JobProgress on(PrintWriter err, String task, long total) {
        if (Terminal.isInteractive()) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(Math.max(total, 1))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                    .setUpdateIntervalMillis(200)
                    .showSpeed()
                    .build();
            return new JobProgress(err, bar);
        }
        return new JobProgress(err, null);
    }

    void update(JobStatus status) {
        long done = status.completedSegments() + status.failedSegments();
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

    /** Segments per second between the job's creation and {@code until}. */
    static double rate(JobStatus status, Instant until) {
        long done = status.completedSegments() + status.failedSegments();
        Instant end = status.state().isTerminal() && status.updatedAt() != null ? status.updatedAt() : until;
        if (status.createdAt() == null) {
            return 0;
        }
        double seconds = Duration.between(status.createdAt(), end).toMillis() / 1000.0;
        return seconds <= 0 ? 0 : done / seconds;
    }

    /** Time left at {@code rate}, or null when unknown or finished. */
    static Duration eta(JobStatus status, double rate) {
        long left = status.totalSegments() - status.completedSegments() - status.failedSegments();
        if (status.state().isTerminal() || left <= 0 || rate <= 0) {
            return null;
        }
        return Duration.ofMillis((long) (left / rate * 1000));
    }

    static String human(Duration d) {
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
