package dev.segrel.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario 2: every message delivered twice or more, duplicates injected by the producer; in batch mode
 * every batch message is delivered three or four times.
 */
class DuplicateChaosIT {

    @ParameterizedTest(name = "{0} messages")
    @EnumSource(ChaosJob.Mode.class)
    void everyMessageSentTwoToFourTimesGivesOneResultPerTaskAndOneCompletionMessage(ChaosJob.Mode mode)
            throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        try (ChaosJob job = ChaosJob.create("duplicates", mode);
                Fleet fleet = new Fleet(job.scenario, job.workerSettings(), ChaosRig.WORKERS)) {
            List<String> bodies = job.taskBodies();
            // first wave: every body twice or three times, shuffled, before any worker runs
            List<String> wave = new ArrayList<>();
            for (String body : bodies) {
                int copies = 2 + random.nextInt(2);
                for (int c = 0; c < copies; c++) {
                    wave.add(body);
                }
            }
            Collections.shuffle(wave, random);
            job.send(wave);
            fleet.startAll();
            // second wave while the job runs: one more copy of everything, done, running or waiting
            job.awaitSettled(job.size / 3);
            List<String> again = new ArrayList<>(bodies);
            Collections.shuffle(again, random);
            job.send(again);
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures(mode.title("2. Duplicate deliveries")));
            figures.put("duplicates injected", job.sent() - bodies.size())
                    .put("random seed (-Dchaos.seed)", seed)
                    .write(job.elapsed());
        }
    }
}
