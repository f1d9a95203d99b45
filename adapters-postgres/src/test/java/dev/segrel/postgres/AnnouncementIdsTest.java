package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.testkit.postgres.TestingPostgres;
import org.junit.jupiter.api.Test;

/** The byte range that replaces a LIKE on an announcement id's prefix selects exactly what the LIKE did. */
class AnnouncementIdsTest {

    @Test
    void theRangeHoldsExactlyTheIdsThatStartWithThePrefix() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        schema.execute("CREATE TABLE ids (id varchar NOT NULL)");
        // in a linguistic collation 'B' and 'b', or ':' and ';', may sort apart from their bytes: C is bytes
        schema.execute("INSERT INTO ids VALUES ('job-completed:j'), ('job-completed:j:a'), ('job-completed:j:a2'),"
                + " ('job-completed:j:a10'), ('job-completed:j:aZ'), ('job-completed:j:b'), ('job-completed:j:A2'),"
                + " ('job-completed:j:'), ('job-completed:j;'), ('job-completed:jj:a2'), ('job-completed:j:`')");

        for (String suffix : new String[] {":a", ":"}) {
            String like = "SELECT string_agg(id, ',' ORDER BY id COLLATE \"C\") FROM ids WHERE id LIKE 'job-completed:j' || '"
                    + suffix + "%'";
            String range = "SELECT string_agg(id, ',' ORDER BY id COLLATE \"C\") FROM ids WHERE "
                    + AnnouncementIds.extending("id", "'job-completed:j'", suffix);
            assertThat(schema.queryString(range)).as(suffix).isNotEmpty().isEqualTo(schema.queryString(like));
        }
        assertThat(schema.queryString("SELECT string_agg(id, ',' ORDER BY id COLLATE \"C\") FROM ids WHERE "
                + AnnouncementIds.extending("id", "'job-completed:j'", ":a")))
                .isEqualTo("job-completed:j:a,job-completed:j:a10,job-completed:j:a2,job-completed:j:aZ");
    }

    @Test
    void aSuffixItCannotStepPastIsRefused() {
        assertThatThrownBy(() -> AnnouncementIds.extending("id", "'x'", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnnouncementIds.extending("id", "'x'", "z'; DROP TABLE t; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
