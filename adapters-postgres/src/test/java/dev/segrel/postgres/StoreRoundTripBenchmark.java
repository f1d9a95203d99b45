package dev.segrel.postgres;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.TaskClaims.Claimed;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Statements (each one network round trip: autocommit, no separate BEGIN/COMMIT) and latency per
 * hot-path store call, on one connection, one call at a time. Not a test: run it by hand (see the
 * report in the adapter's docs); {@code SEGREL_TEST_POSTGRES_URL} points it at another server.
 *
 * <pre>
 * ./mvnw -q -pl adapters-postgres -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp adapters-postgres/target/test-classes:adapters-postgres/target/classes:$(cat adapters-postgres/target/test.classpath) \
 *     dev.segrel.postgres.StoreRoundTripBenchmark [tasks]
 * </pre>
 */
public final class StoreRoundTripBenchmark {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private StoreRoundTripBenchmark() {}

    public static void main(String[] args) {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        AtomicLong statements = new AtomicLong();
        try (Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(1))) {
            postgres.migrator().migrate();
            postgres.jdbi().getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext context) {
                    statements.incrementAndGet();
                }
            });
            run(postgres, statements, 1_000, false); // warm-up: JIT, server plan caches
            run(postgres, statements, tasks, true);
        }
        System.exit(0);
    }

    private static void run(Postgres store, AtomicLong statements, int tasks, boolean report) {
        List<NewTask> list = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            list.add(new NewTask("S" + i, Span.of(i, i + 1)));
        }
        JobId job = JobId.random();
        store.jobs().createJob(new NewJob(job, "M1", list), T0);
        Lease[] leases = new Lease[tasks];
        List<Mapping> result = List.of(new Mapping("M2", List.of(Segment.of("a", 0, 5), Segment.of("b", 5, 9))));

        String claim = measure(tasks, statements, i -> leases[i] = ((Claimed) store.claims().claim(
                new TaskKey(job, "S" + i), null, "bench", T0, Duration.ofSeconds(60))).task().lease());
        String complete = measure(tasks, statements, i -> store.completions().complete(leases[i], result, T0));
        String progress = measure(tasks, statements, i -> store.jobs().jobStatus(job).orElseThrow());
        if (report) {
            System.out.println("operation   " + "statements/op  mean     p50      p99      (" + tasks + " ops, one connection)");
            System.out.println("claim       " + claim);
            System.out.println("complete    " + complete);
            System.out.println("jobStatus   " + progress);
        }
    }

    private static String measure(int n, AtomicLong statements, IntConsumer op) {
        long[] nanos = new long[n];
        long before = statements.get();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            op.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        double perOp = (statements.get() - before) / (double) n;
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        return String.format("%-14.2f %-8s %-8s %-8s", perOp, ms(mean), ms(nanos[n / 2] / 1e6), ms(nanos[(int) (n * 0.99)] / 1e6));
    }

    private static String ms(double millis) {
        return String.format("%.3fms", millis);
    }
}
