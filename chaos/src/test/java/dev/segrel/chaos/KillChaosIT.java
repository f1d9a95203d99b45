package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario 1: workers SIGKILLed at random moments, several times, and restarted; with single-segment
 * messages and with the deployed producer's batch messages.
 */
class KillChaosIT {

    @ParameterizedTest(name = "{0} messages")
    @EnumSource(ChaosJob.Mode.class)
    void workersKilledAtRandomMomentsAndRestartedLoseAndDoubleNothing(ChaosJob.Mode mode) throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        int kills = ChaosRig.FULL ? 6 : 4;
        try (ChaosJob job = ChaosJob.create("kill", mode);
                Fleet fleet = new Fleet(job.scenario, job.workerSettings(), ChaosRig.WORKERS)) {
            job.send(job.taskBodies());
            fleet.startAll();
            for (int k = 0; k < kills; k++) {
                // a random moment: a random point of progress within the k-th slice of the job
                int slice = job.size * 3 / 4 / kills;
                int at = k * slice + 1 + random.nextInt(Math.max(1, slice));
                job.awaitSettled(at);
                int victim = random.nextInt(fleet.size());
                assertThat(fleet.kill(victim)).isEqualTo(137);
                fleet.start(victim);
            }
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures(mode.title("1. SIGKILL at random moments")));
            figures.put("SIGKILLs", fleet.kills()).put("random seed (-Dchaos.seed)", seed).write(job.elapsed());
        }
    }
}
