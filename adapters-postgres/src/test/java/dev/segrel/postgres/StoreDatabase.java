package dev.segrel.postgres;

import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.postgres.DeployedTables.Layout;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database the store must work on, migrated by {@code segrel migrate}: segrel's own tables, or a
 * deployed layout's tables with the deployed service's rows in them. Each is made once per test JVM and
 * shared by the classes that test the store on it (they make their own jobs, and look only at those).
 */
enum StoreDatabase {
    /** An empty schema: segrel creates its own tables. */
    SEGRELS_OWN(null),
    README(Layout.README),
    V1(Layout.V1),
    CURRENT(Layout.CURRENT);

    /** A finished result of the deployed worker's, in jsonb's normal form (as a consumer reads it back). */
    static final String RESULT = "[{\"segments\": [{\"span\": {\"end\": 5, \"start\": 0}, \"segment_id\": \"x\"}], "
            + "\"manifestation_id\": \"M2\"}]";

    private static final Map<StoreDatabase, TestingPostgres.Schema> MIGRATED = new EnumMap<>(StoreDatabase.class);

    private final Layout deployed;

    StoreDatabase(Layout deployed) {
        this.deployed = deployed;
    }

    /** The database, migrated. */
    TestingPostgres.Schema migrated() {
        synchronized (MIGRATED) {
            return MIGRATED.computeIfAbsent(this, d -> {
                TestingPostgres.Schema schema = d.deployed == null ? TestingPostgres.shared().freshSchema()
                        : withRows(d.deployed).schema();
                PGSimpleDataSource dataSource = new PGSimpleDataSource();
                dataSource.setURL(schema.jdbcUrl());
                new PostgresMigrator(dataSource).migrate();
                return schema;
            });
        }
    }

    /**
     * The layout's tables in a fresh schema, not migrated, with what the deployed programs left in them:
     * a finished job and a running one.
     */
    static DeployedTables withRows(Layout layout) {
        DeployedTables deployed = DeployedTables.create(TestingPostgres.shared().freshSchema(), layout);
        UUID done = deployed.submit("M1", List.of("a"));
        deployed.workerStores(done, "M1", "a", RESULT);
        UUID running = deployed.submit("M2", List.of("a", "b", "c"));
        deployed.workerStores(running, "M2", "b", RESULT);
        // the counters as they should be (the current worker's own count is wrong: adoption recomputes it)
        deployed.schema().execute(
                "UPDATE " + layout.jobTable() + " SET status = 'COMPLETED', completed_segments = 1 WHERE job_id = '" + done + "'",
                "UPDATE " + layout.jobTable() + " SET status = 'IN_PROGRESS', completed_segments = 1 WHERE job_id = '" + running + "'");
        return deployed;
    }
}
