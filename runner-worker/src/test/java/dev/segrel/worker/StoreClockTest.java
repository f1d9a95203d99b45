package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.store.JobTestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Leases are timed on PostgreSQL's clock: a worker whose clock runs ahead cannot take over a live lease. */
class StoreClockTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration AHEAD = Duration.ofSeconds(60);
    private static Postgres postgres;

    @BeforeAll
    static void connect() {
        postgres = Postgres.connect(PostgresConfig.ofUrl(TestingPostgres.shared().freshSchema().jdbcUrl()).withPoolSize(2));
        postgres.migrator().migrate();
    }

    @AfterAll
    static void close() {
        postgres.close();
    }

    private static TaskKey aHeldTask(Clock holder) {
        JobId job = JobId.random();
        postgres.jobs().createJob(JobTestData.aJob().withId(job).withTasks(1).build(), holder.instant());
        TaskKey key = new TaskKey(job, JobTestData.segmentId(0));
        assertThat(postgres.claims().claim(key, null, "w-on-time", holder.instant(), LEASE))
                .isInstanceOf(TaskClaims.Claimed.class);
        return key;
    }

    @Test
    void aWorkerWhoseClockRunsAMinuteAheadCannotTakeOverALiveLease() {
        StoreClock onTime = new StoreClock(Clock.systemUTC());
        onTime.measure(postgres::serverTime);
        TaskKey key = aHeldTask(onTime);
        StoreClock ahead = new StoreClock(Clock.offset(Clock.systemUTC(), AHEAD));

        ahead.measure(postgres::serverTime);
        TaskClaims.ClaimResult taken = postgres.claims().claim(key, null, "w-ahead", ahead.instant(), LEASE);

        assertThat(taken).isInstanceOf(TaskClaims.HeldByOther.class);
        assertThat(ahead.offset().plus(AHEAD).abs()).as("offset measured: %s", ahead.offset())
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void onItsOwnClockTheSameWorkerWouldHaveTakenItOver() {
        TaskKey key = aHeldTask(Clock.systemUTC());

        TaskClaims.ClaimResult taken = postgres.claims().claim(key, null, "w-ahead",
                Clock.offset(Clock.systemUTC(), AHEAD).instant(), LEASE);

        assertThat(taken).as("what every worker did before it timed leases on the database's clock")
                .isInstanceOfSatisfying(TaskClaims.Claimed.class, c -> assertThat(c.task().takeover()).isTrue());
    }

    @Test
    void theOffsetIsTakenAtTheMiddleOfTheRoundTripAndAFailedReadKeepsTheLastOne() {
        Clock base = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        StoreClock clock = new StoreClock(base);

        assertThat(clock.measure(() -> Instant.parse("2030-01-01T00:00:07Z"))).isTrue();
        assertThatThrownBy(() -> clock.measure(() -> {
            throw new StoreUnavailableException("db.internal:5432 does not answer", null);
        })).isInstanceOf(StoreUnavailableException.class);

        assertThat(clock.offset()).isBetween(Duration.ofMillis(6_000), Duration.ofMillis(7_000));
        assertThat(clock.instant()).isEqualTo(base.instant().plus(clock.offset()));
    }

    @Test
    void beforeAnyMeasurementItIsThisHostsClock() {
        Clock base = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

        assertThat(new StoreClock(base).instant()).isEqualTo(base.instant());
    }
}
