package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.store.RejectedMessagesContract;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresRejectedMessagesTest extends RejectedMessagesContract {

    @Override
    protected RejectedMessages rejected() {
        return postgres.rejectedMessages();
    }

    @Override
    protected List<Recorded> recordedFor(String messageId) {
        return postgres.jdbi().withHandle(h -> h.createQuery("""
                        SELECT message_id, body, reason, rejected_at FROM segrel_rejected_message
                        WHERE message_id = :id ORDER BY id""")
                .bind("id", messageId)
                .map((rs, ctx) -> new Recorded(rs.getString("message_id"), rs.getString("body"), rs.getString("reason"),
                        rs.getObject("rejected_at", OffsetDateTime.class).toInstant()))
                .list());
    }


    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private TestingPostgres.Schema schema;
    private Postgres postgres;

    @BeforeEach
    void start() {
        schema = TestingPostgres.shared().freshSchema();
        postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2));
        postgres.migrator().migrate();
    }

    @AfterEach
    void stop() {
        postgres.close();
    }

    @Test
    void aRejectedMessageIsKeptWithItsReasonAndBody() {
        postgres.rejectedMessages().record("m-1", "{\"job_id\": \"'; DROP TABLE root_job;--\"}",
                "poison message: job_id is not a UUID", T0);

        assertThat(schema.queryLong("SELECT count(*) FROM segrel_rejected_message")).isEqualTo(1);
        assertThat(schema.queryString("SELECT reason FROM segrel_rejected_message"))
                .isEqualTo("poison message: job_id is not a UUID");
        assertThat(schema.queryString("SELECT body FROM segrel_rejected_message"))
                .isEqualTo("{\"job_id\": \"'; DROP TABLE root_job;--\"}");
        assertThat(schema.queryLong("SELECT count(*) FROM root_job")).isZero();
    }

    @Test
    void aHugeBodyWithNulCharactersIsStoredTruncatedWithItsRealLength() {
        String body = "\0".repeat(10) + "x".repeat(200_000);

        postgres.rejectedMessages().record("m-2", body, "poison message: body too large", T0);

        assertThat(schema.queryLong("SELECT body_length FROM segrel_rejected_message")).isEqualTo(200_010);
        assertThat(schema.queryLong("SELECT length(body) FROM segrel_rejected_message"))
                .isEqualTo(PostgresRejectedMessages.MAX_BODY_CHARS);
    }
}
