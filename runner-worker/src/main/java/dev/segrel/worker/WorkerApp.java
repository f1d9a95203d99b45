package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.neo4j.Neo4jEnvironments;
import dev.segrel.dragonfly.RedisCache;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresMigrator;
import dev.segrel.postgres.PostgresModule;
import dev.segrel.sqs.SqsModule;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker daemon's composition root: validates the configuration, wires the adapters with Guice,
 * migrates the schema when configured, and runs the {@link Worker} with its HTTP endpoints.
 *
 * <p>{@link #start} returns a running worker; {@link #stop} blocks until it is done. Both the
 * {@code java -jar} entry point ({@link WorkerMain}) and {@code segrel worker} / {@code segrel demo}
 * use it.
 */
public final class WorkerApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);
    /** A manifestation id no graph holds: asking for it reaches the server without reading data. */
    private static final String READINESS_PROBE = "segrel-readiness-probe";

    static {
        // The wiring uses no method interception, so Guice needs no generated classes; without
        // them it never touches sun.misc.Unsafe (a warning on every start on JDK 24+). Read when
        // Guice's classes load, which is after this: WorkerApp refers to them only in methods.
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
    }

    private final Injector injector;
    private final Worker worker;
    private final WorkerConfig config;
    private final HttpEndpoints http;
    private boolean stopped;

    private WorkerApp(Injector injector, WorkerConfig config, HttpEndpoints http) {
        this.injector = injector;
        this.worker = injector.getInstance(Worker.class);
        this.config = config;
        this.http = http;
    }

    /**
     * Starts a worker from {@code settings}.
     *
     * @throws IllegalArgumentException one line per missing or malformed setting
     * @throws dev.segrel.core.port.out.StoreUnavailableException when PostgreSQL cannot be reached
     * @throws PortInUseException when {@code SEGREL_HTTP_PORT} cannot be bound
     */
    public static WorkerApp start(Settings settings) {
        // on the database's clock: leases are compared across workers whose clocks may disagree
        return start(settings, new StoreClock(Clock.systemUTC()), List.of());
    }

    /** As {@link #start(Settings)}, with a clock and modules that override production bindings (tests). */
    public static WorkerApp start(Settings settings, Clock clock, List<Module> overrides) {
        requireNonNull(settings, "settings is null");
        WorkerSettings parsed = WorkerSettings.read(settings);
        Module production = Modules.combine(
                new Resources(),
                new WorkerModule(settings, parsed.worker(), clock),
                new TracingModule(TracingModule.WORKER_SERVICE),
                new GraphModule(parsed.environments(), parsed.graph(), clock),
                new PostgresModule(parsed.postgres()),
                new SqsModule(parsed.sqs()));
        Injector injector = createInjector(overrides.isEmpty() ? production : Modules.override(production).with(overrides));
        HttpEndpoints http = null;
        try {
            Readiness readiness = readiness(injector, clock);
            // the port first: a taken port is refused before anything else is touched
            http = startHttp(injector, parsed.worker(), readiness);
            verifyGraph(injector.getInstance(Neo4jAlignmentGraph.class));
            logEnvironments(parsed.environments());
            if (parsed.postgres().migrateOnStart()) {
                PostgresMigrator.MigrationReport report = injector.getInstance(PostgresMigrator.class).migrate();
                log.info("Schema: {}", report);
            } else {
                injector.getInstance(PostgresMigrator.class).requireSupportedServer();
            }
            if (clock instanceof StoreClock aligned) {
                measureOffset(aligned, injector.getInstance(Postgres.class));
            }
            WorkerApp app = new WorkerApp(injector, parsed.worker(), http);
            Postgres store = injector.getInstance(Postgres.class);
            app.worker.heartbeatStoreProbe(store::ping);
            app.worker.start();
            // every few seconds in the background, each check bounded; the first poll now, so the first answer is real
            readiness.start();
            DeadLetterQueueCheck.warnIfNone(injector.getInstance(QueueAdmin.class));
            if (http != null) {
                // the backlog's figures are only read by a scrape: no endpoint, no polling
                injector.getInstance(BacklogPoller.class).start();
            }
            return app;
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            closeQuietly(injector);
            throw e;
        }
    }

    /** Guice wraps what a provider throws; callers want the adapter's own exception (unreachable store…). */
    private static Injector createInjector(Module module) {
        try {
            return Guice.createInjector(Stage.PRODUCTION, module);
        } catch (CreationException e) {
            throw unwrap(e, e.getErrorMessages());
        } catch (ProvisionException e) {
            throw unwrap(e, e.getErrorMessages());
        }
    }

    private static RuntimeException unwrap(RuntimeException e, Collection<Message> messages) {
        for (Message message : messages) {
            if (message.getCause() instanceof RuntimeException cause) {
                return cause;
            }
        }
        return e;
    }

    /** A graph that is down at start is not fatal: tasks retry until it is back. Say so early, though. */
    private static void verifyGraph(Neo4jAlignmentGraph graph) {
        if (graph != null) {
            try {
                graph.verifyConnectivity();
            } catch (RuntimeException e) {
                log.warn("Neo4j is not reachable yet; tasks will be retried until it is: {}",
                        Secrets.redact(String.valueOf(e.getMessage())));
            }
        }
    }

    /** Their graphs open on first use: name them now, so that a missing one is seen before a message needs it. */
    private static void logEnvironments(Neo4jEnvironments environments) {
        for (String name : environments.names()) {
            log.info("Environment {}: Neo4j at {} (opened on first use)", name,
                    environments.config(name).orElseThrow().redactedUri());
        }
    }

    /** Before the first lease: a failure is not fatal (the readiness poll measures again every few seconds). */
    private static void measureOffset(StoreClock clock, Postgres postgres) {
        try {
            clock.measure(postgres::serverTime);
        } catch (RuntimeException e) {
            log.warn("Could not read PostgreSQL's clock; leases are timed on this host's until it answers: {}",
                    Secrets.redact(String.valueOf(e.getMessage())));
        }
    }

    /**
     * The readiness checks, polled in the background by {@link Readiness} (never by a request). The
     * PostgreSQL check also measures this host's offset to the database's clock, when leases are timed on it.
     */
    private static Readiness readiness(Injector injector, Clock clock) {
        WorkerMetrics metrics = injector.getInstance(WorkerMetrics.class);
        AlignmentGraph graph = injector.getInstance(AlignmentGraph.class);
        AlignmentGraphs graphs = injector.getInstance(AlignmentGraphs.class);
        Postgres postgres = injector.getInstance(Postgres.class);
        QueueAdmin queue = injector.getInstance(QueueAdmin.class);
        List<HttpEndpoints.Check> checks = new ArrayList<>();
        checks.add(new HttpEndpoints.Check("neo4j", () -> {
            graph.manifestationExists(READINESS_PROBE);
            return true;
        }));
        // every configured environment, opened if need be: a graph that is down is seen before a message needs it
        for (String environment : graphs.environments()) {
            checks.add(new HttpEndpoints.Check("neo4j:" + environment, () -> {
                graphs.graph(environment).manifestationExists(READINESS_PROBE);
                return true;
            }));
        }
        checks.add(new HttpEndpoints.Check("postgres", () -> {
            if (clock instanceof StoreClock aligned) {
                aligned.measure(postgres::serverTime);
            } else {
                postgres.ping();
            }
            return true;
        }));
        checks.add(new HttpEndpoints.Check("sqs", () -> {
            queue.stats();
            return true;
        }));
        // the gauges name the default graph and the other dependencies, as before the environments
        return injector.getInstance(Resources.class).register(new Readiness(checks, (name, up) -> {
            if (!name.startsWith("neo4j:")) {
                metrics.backlog().dependency(name, up ? 1 : 0);
            }
        }));
    }

    private static HttpEndpoints startHttp(Injector injector, WorkerConfig config, Readiness readiness) {
        if (config.httpPort() < 0) {
            return null;
        }
        Worker worker = injector.getInstance(Worker.class);
        WorkerMetrics metrics = injector.getInstance(WorkerMetrics.class);
        try {
            HttpEndpoints endpoints = HttpEndpoints.start(config.httpHost(), config.httpPort(), worker::isLive,
                    readiness::current, metrics::scrape);
            log.info("Health and metrics on port {} of {}", endpoints.port(), config.httpHost());
            return endpoints;
        } catch (IOException | RuntimeException e) {
            throw new PortInUseException(config.httpPort(), e);
        }
    }

    /** The HTTP port (health, metrics), or -1 when disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public Worker worker() {
        return worker;
    }

    public WorkerMetrics metrics() {
        return injector.getInstance(WorkerMetrics.class);
    }

    /** The configured grace period for {@link #stop(Duration)}. */
    public Duration shutdownGrace() {
        return config.shutdownGrace();
    }

    /**
     * Stops the worker within {@code grace} (see {@link Worker#stop}), then closes the HTTP server and
     * the connections. Returns true when every task in flight finished. Idempotent.
     */
    public synchronized boolean stop(Duration grace) {
        if (stopped) {
            return true;
        }
        stopped = true;
        boolean finished = worker.stop(grace);
        if (http != null) {
            http.close();
        }
        closeQuietly(injector);
        return finished;
    }

    @Override
    public void close() {
        stop(config.shutdownGrace());
    }

    private static void closeQuietly(Injector injector) {
        injector.getInstance(Resources.class).close();
    }
}
