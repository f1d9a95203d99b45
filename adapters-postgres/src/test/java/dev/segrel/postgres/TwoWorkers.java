package dev.segrel.postgres;

import dev.segrel.testkit.postgres.TestingPostgres;

/** Two workers' stores on one fresh, migrated schema, each with its own pool (as two JVMs would be), for the race tests. */
record TwoWorkers(TestingPostgres.Schema schema, Postgres first, Postgres second) implements AutoCloseable {

    static TwoWorkers open(int poolSize) {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        Postgres first = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(poolSize));
        Postgres second = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(poolSize));
        first.migrator().migrate();
        return new TwoWorkers(schema, first, second);
    }

    @Override
    public void close() {
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}
