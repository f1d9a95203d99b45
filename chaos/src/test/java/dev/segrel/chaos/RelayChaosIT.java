package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.testkit.queue.TestingSqs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two relays and a slow completed queue: three workers, all relaying, whose answers from the
 * completed queue come late ({@link DelayingSqsProxy}: the message is on the queue at once, the
 * sender hears so after the delay), with a relay lease just over the publisher's call timeout. In
 * batch mode the job has many small batches, so a relay's pass of up to 10 messages takes longer
 * than the lease it took them with: the other relays take the rest of them meanwhile, and the first
 * must leave those alone (its lease renewal before each send fails) rather than send them again.
 */
class RelayChaosIT {

    /** Just over the completion publisher's 15 s call timeout: the shortest lease a relay accepts. */
    private static final Duration LEASE = Duration.ofSeconds(16);
    /** Under the publisher's 5 s attempt timeout (a send still succeeds, once), 10 of them well over the lease. */
    private static final Duration DELAY = Duration.ofMillis(ChaosRig.FULL ? 3_000 : 2_500);
    /** Small batches, so that announcements pile up behind the slow queue. */
    private static final int BATCH = ChaosRig.FULL ? 50 : 10;

    @ParameterizedTest(name = "{0} messages")
    @EnumSource(ChaosJob.Mode.class)
    void relaysRacingOverASlowCompletedQueueSendEachAnnouncementOnce(ChaosJob.Mode mode) throws Exception {
        try (ChaosJob job = ChaosJob.create("relay", mode, ChaosRig.SEGMENTS, BATCH);
                DelayingSqsProxy slow = new DelayingSqsProxy(TestingSqs.endpoint(), job.queues.completed(), DELAY);
                Fleet fleet = new Fleet(job.scenario, job.workerSettings().with(Map.of(
                        "SQS_ENDPOINT", slow.endpoint(),
                        "SEGREL_RELAY_LEASE_MS", Long.toString(LEASE.toMillis()))), ChaosRig.WORKERS)) {
            job.send(job.taskBodies());
            fleet.startAll();
            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0),
                    new Figures(mode.title("Two relays and a slow completed queue")));

            long rows = job.queryLong("SELECT count(*) FROM segrel_outbox");
            long takes = job.queryLong("SELECT coalesce(sum(lease_token), 0) FROM segrel_outbox");
            long retaken = job.queryLong("SELECT count(*) FROM segrel_outbox WHERE lease_token > 1");
            long failedSends = job.queryLong("SELECT coalesce(sum(attempts), 0) FROM segrel_outbox");
            int lostBeforeSend = count(fleet, "was taken by another relay before it was sent");
            int lostAfterSend = count(fleet, "was sent, but another relay took it meanwhile");
            int duplicates = slow.sendsToSlowQueue() - (int) rows;
            figures.put("completed-queue answer delay (ms)", DELAY.toMillis())
                    .put("relay lease (SEGREL_RELAY_LEASE_MS, ms)", LEASE.toMillis())
                    .put("relays (workers, all relaying)", fleet.size())
                    .put("announcements in the outbox", rows)
                    .put("leases taken on them (takes)", takes)
                    .put("announcements taken by more than one relay", retaken)
                    .put("leases lost before a send (left to the other relay)", lostBeforeSend)
                    .put("leases lost after a send", lostAfterSend)
                    .put("failed sends", failedSends)
                    .put("sends the completed queue accepted", slow.sendsToSlowQueue())
                    .put("duplicates on the completed queue", duplicates)
                    .write(job.elapsed());
            assertThat(duplicates).as("every announcement reached the completed queue once").isZero();
            assertThat(lostAfterSend).as("no send outlived its lease").isZero();
            if (mode == ChaosJob.Mode.BATCH) {
                assertThat(rows).as("one announcement per batch").isEqualTo(job.batches());
            } else {
                assertThat(rows).as("one announcement for the job").isEqualTo(1);
            }
        }
    }

    private static int count(Fleet fleet, String line) {
        int n = 0;
        for (Path log : fleet.logs()) {
            String text = Fleet.read(log);
            for (int at = text.indexOf(line); at >= 0; at = text.indexOf(line, at + 1)) {
                n++;
            }
        }
        return n;
    }
}
