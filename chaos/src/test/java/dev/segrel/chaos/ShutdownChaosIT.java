package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.worker.Worker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scenario 6: SIGTERM to every worker while each holds a full load of tasks. */
class ShutdownChaosIT {

    @ParameterizedTest(name = "{0} messages")
    @EnumSource(ChaosJob.Mode.class)
    void sigtermUnderLoadExitsWithinTheGraceReleasesEverythingAndLosesNothing(ChaosJob.Mode mode) throws Exception {
        Duration grace = Duration.ofSeconds(10);
        // batch mode: batches of a tenth of the suite's size (5 reduced, 50 full) so that the job's many
        // messages spread over the three workers (a worker takes up to 10 messages per receive)
        try (ChaosJob job = ChaosJob.create("sigterm", mode, ChaosRig.SEGMENTS, Math.max(1, ChaosJob.BATCH_SIZE / 10));
                Fleet fleet = new Fleet(job.scenario, job.workerSettings().with(Map.of(
                        "SEGREL_CONCURRENCY", "16",
                        "SEGREL_SHUTDOWN_GRACE_SECONDS", Long.toString(grace.toSeconds()))), ChaosRig.WORKERS)) {
            job.send(job.taskBodies());
            fleet.startAll();
            for (int i = 0; i < fleet.size(); i++) {
                fleet.awaitStarted(i, Duration.ofMinutes(2));
            }
            int rounds = 2;
            Duration slowest = Duration.ZERO;
            long inProgressAfter = 0;
            for (int k = 1; k <= rounds; k++) {
                job.awaitSettled(job.size * k / (rounds + 2));
                Duration took = fleet.termAll(grace.plusSeconds(20));
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
                // finished or released: no task stays claimed by a worker that is gone
                inProgressAfter += job.queryLong("SELECT count(*) FROM segment_task WHERE status = 'IN_PROGRESS'");
                for (int i = 0; i < fleet.size(); i++) {
                    fleet.start(i);
                }
                // the next round's SIGTERM is for running workers, not for JVMs still booting
                for (int i = 0; i < fleet.size(); i++) {
                    fleet.awaitStarted(i, Duration.ofMinutes(2));
                }
            }
            assertThat(inProgressAfter).as("tasks IN_PROGRESS after every worker exited").isZero();
            // the documented bound: the grace, then what stopping may take after it (poll, deleter, relay)
            assertThat(slowest).isLessThan(grace.plus(Worker.STOP_BUDGET));
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures(mode.title("6. SIGTERM under load")));
            figures.put("SIGTERM rounds (all workers at once)", rounds)
                    .put("SIGTERMs", rounds * fleet.size())
                    .put("grace period (s)", grace.toSeconds())
                    .put("slowest exit after SIGTERM (ms)", slowest.toMillis())
                    .put("tasks left IN_PROGRESS after exit", inProgressAfter)
                    .write(job.elapsed());
        }
    }
}
