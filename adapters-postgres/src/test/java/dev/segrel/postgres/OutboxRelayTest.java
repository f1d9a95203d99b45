package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.in.RelayOutbox.RelayReport;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.SegmentRelations;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.store.JobTestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay use case of core against the real outbox. */
class OutboxRelayTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private Postgres postgres;

    @BeforeEach
    void start() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(6));
        postgres.migrator().migrate();
    }

    @AfterEach
    void stop() {
        postgres.close();
    }

    /** A publisher that records what it was given, and fails while told to. */
    static final class RecordingPublisher implements MessagePublisher {
        final List<Outbox.Message> published = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public void publish(Outbox.Message message) {
            if (down.get()) {
                throw new IllegalStateException("queue unreachable at https://u:hunter22@sqs.local");
            }
            published.add(message);
        }
    }

    private List<JobId> finishedJobs(int count) {
        List<JobId> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NewJob job = JobTestData.aJob().withTasks(0).build();
            postgres.jobs().createJob(job, T0);
            jobs.add(job.jobId());
        }
        return jobs;
    }

    @Test
    void aPassPublishesPendingMessagesAndMarksThemSent() {
        List<JobId> jobs = finishedJobs(3);
        RecordingPublisher publisher = new RecordingPublisher();
        RelayOutbox relay = SegmentRelations.relayOutbox(
                postgres.outbox(), publisher, Clock.fixed(T0, ZoneOffset.UTC), "relay-1", 10, Duration.ofSeconds(30));

        RelayReport first = relay.relayOnce();
        RelayReport second = relay.relayOnce();

        assertThat(first).isEqualTo(new RelayReport(3, 3, 0));
        assertThat(second).isEqualTo(new RelayReport(0, 0, 0));
        assertThat(publisher.published).extracting(Outbox.Message::messageId)
                .containsExactlyElementsOf(jobs.stream().map(j -> "job-completed:" + j).toList());
        assertThat(publisher.published).allSatisfy(m -> assertThat(m.destination()).isEqualTo("completed"));
    }

    @Test
    void aFailedPublishIsTriedAgainAfterItsLease() {
        finishedJobs(1);
        RecordingPublisher publisher = new RecordingPublisher();
        publisher.down.set(true);
        MutableClock clock = new MutableClock(T0);
        RelayOutbox relay = SegmentRelations.relayOutbox(postgres.outbox(), publisher, clock, "relay-1", 10, Duration.ofSeconds(30));

        assertThat(relay.relayOnce()).isEqualTo(new RelayReport(1, 0, 1));
        publisher.down.set(false);
        assertThat(relay.relayOnce()).isEqualTo(new RelayReport(0, 0, 0));
        clock.now = T0.plusSeconds(31);
        assertThat(relay.relayOnce()).isEqualTo(new RelayReport(1, 1, 0));

        assertThat(publisher.published).hasSize(1);
        assertThat(publisher.published.get(0).attempts()).isEqualTo(1);
    }

    @Test
    void manyRelaysAtOnceSendEachMessageOnce() throws Exception {
        List<JobId> jobs = finishedJobs(200);
        RecordingPublisher publisher = new RecordingPublisher();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                RelayOutbox relay = SegmentRelations.relayOutbox(
                        postgres.outbox(), publisher, Clock.fixed(T0, ZoneOffset.UTC), "relay-" + r, 7, Duration.ofSeconds(30));
                sent.add(pool.submit(() -> {
                    int total = 0;
                    for (RelayReport report = relay.relayOnce(); report.taken() > 0; report = relay.relayOnce()) {
                        total += report.sent();
                    }
                    return total;
                }));
            }
            int total = 0;
            for (Future<Integer> f : sent) {
                total += f.get();
            }
            assertThat(total).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(publisher.published).extracting(Outbox.Message::messageId).doesNotHaveDuplicates().hasSize(jobs.size());
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
