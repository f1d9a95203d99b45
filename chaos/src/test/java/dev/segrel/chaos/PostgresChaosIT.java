package dev.segrel.chaos;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scenario 3: PostgreSQL sessions killed mid-job (pg_terminate_backend), and the server restarted once. */
class PostgresChaosIT {

    @ParameterizedTest(name = "{0} messages")
    @EnumSource(ChaosJob.Mode.class)
    void sessionsTerminatedAndAServerRestartMidJobLoseAndDoubleNothing(ChaosJob.Mode mode) throws Exception {
        ChaosRig rig = ChaosRig.get();
        try (ChaosJob job = ChaosJob.create("postgres", mode);
                Fleet fleet = new Fleet(job.scenario, job.workerSettings(), ChaosRig.WORKERS)) {
            job.send(job.taskBodies());
            fleet.startAll();
            int terminations = 0;
            int sessions = 0;
            int restartsBefore = rig.postgres.restarts();
            int[] terminateAt = {job.size / 10, job.size / 4, job.size * 2 / 3, job.size * 4 / 5};
            for (int k = 0; k < terminateAt.length; k++) {
                job.awaitSettled(terminateAt[k]);
                sessions += rig.postgres.terminateClientSessions();
                terminations++;
                if (k == 1) {
                    job.awaitSettled(job.size / 2);
                    rig.postgres.restart(); // fast shutdown: every session is cut, then the same data comes back
                }
            }
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures(mode.title("3. PostgreSQL faults")));
            figures.put("pg_terminate_backend rounds", terminations)
                    .put("sessions terminated", sessions)
                    .put("server restarts", rig.postgres.restarts() - restartsBefore)
                    .write(job.elapsed());
        }
    }
}
