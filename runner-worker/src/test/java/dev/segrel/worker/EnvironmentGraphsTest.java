package dev.segrel.worker;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.ManifestationSlice;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.index.SliceCodec;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.devstack.LoopbackPorts;
import dev.segrel.devstack.neo4j.EmbeddedNeo4j;
import dev.segrel.dragonfly.CacheInvalidation;
import dev.segrel.dragonfly.CacheKeys;
import dev.segrel.dragonfly.DragonflyConfig;
import dev.segrel.dragonfly.RedisCache;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.neo4j.Neo4jEnvironments;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real graphs holding the same manifestation with different alignments: the shared test Neo4j
 * as the default graph (also configured as environment DEVELOPMENT, as the deployed env template
 * does), and a second in-process Neo4j as environment PRODUCTION. The same segment has different
 * related segments in each, so a task searched in the wrong graph shows.
 */
class EnvironmentGraphsTest {

    /** M1 (S0..S9) aligned to M2 (T0..T9). */
    static final GraphFixture DEVELOPMENT = WorkerFixtures.twoTexts();

    /** The same M1 (S0..S9) aligned to M3 (U0..U4, each twice as long). */
    static final GraphFixture PRODUCTION = production();

    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1));

    static EmbeddedNeo4j production;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final List<Runnable> cleanUp = new ArrayList<>();

    private static GraphFixture production() {
        GraphFixture f = new GraphFixture().manifestation("M1").manifestation("M3");
        Segment[] m1 = new Segment[10];
        Segment[] m1a = new Segment[10];
        Segment[] m3 = new Segment[5];
        Segment[] m3a = new Segment[5];
        for (int i = 0; i < 10; i++) {
            m1[i] = seg("S" + i, i * 10, i * 10 + 10);
            m1a[i] = seg("P" + i, i * 10, i * 10 + 10);
        }
        for (int j = 0; j < 5; j++) {
            m3[j] = seg("U" + j, j * 20, j * 20 + 20);
            m3a[j] = seg("Q" + j, j * 20, j * 20 + 20);
        }
        f.segmentation("M1", "M1-seg", m1).alignment("M1", "M1-al", m1a);
        f.segmentation("M3", "M3-seg", m3).alignment("M3", "M3-al", m3a);
        f.linkAnnotations("M1-al", "M3-al");
        for (int i = 0; i < 10; i++) {
            f.linkSegments("P" + i, "Q" + i / 2);
        }
        return f;
    }

    /** What the search gives for S{i} of M1 in {@link #PRODUCTION}. */
    static List<Mapping> expectedInProductionFor(int i) {
        int j = i / 2;
        return List.of(new Mapping("M3", List.of(Segment.of("U" + j, j * 20, j * 20 + 20))));
    }

    @BeforeAll
    static void loadBothGraphs() {
        TestingNeo4j.get().load(DEVELOPMENT);
        production = WorkerFixtures.secondGraph(PRODUCTION);
    }

    @AfterAll
    static void stopTheSecondGraph() {
        if (production != null) {
            production.close();
        }
    }

    @AfterEach
    void closeWhatTheTestOpened() {
        cleanUp.forEach(Runnable::run);
    }

    /** The deployed worker's environment: NEO4J_* for the development graph, one key per environment. */
    static Map<String, String> settings() {
        TestingNeo4j neo4j = TestingNeo4j.get();
        Map<String, String> values = new HashMap<>();
        values.put("NEO4J_URI", neo4j.boltUri());
        values.put("NEO4J_USER", neo4j.user());
        values.put("NEO4J_PASSWORD", neo4j.password());
        values.put("DEVELOPMENT_NEO4J_URI", neo4j.boltUri());
        values.put("DEVELOPMENT_NEO4J_PASSWORD", neo4j.password());
        values.put("PRODUCTION_NEO4J_URI", production.boltUri());
        return values;
    }

    /** The worker's graphs as GraphModule builds them from {@code values}. */
    private AlignmentGraphs graphsOf(Map<String, String> values, WorkerMetrics metrics) {
        Settings settings = Settings.of(values);
        Neo4jEnvironments environments = Neo4jEnvironments.fromSettings(settings);
        GraphConfig graph = ConfigReader.readOrThrow(settings, GraphConfig::read, "");
        Resources resources = new Resources();
        Injector injector = Guice.createInjector(Stage.PRODUCTION, resources, new GraphModule(environments, graph, clock),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(Settings.class).toInstance(settings);
                        bind(WorkerMetrics.class).toInstance(metrics);
                        bind(Tracing.class).toInstance(Tracing.noop());
                    }
                });
        cleanUp.add(resources::close);
        return injector.getInstance(AlignmentGraphs.class);
    }

    /** Processes segment S{i} of a new job of M1 as a message naming {@code environment} would. */
    private List<Mapping> process(AlignmentGraphs graphs, String environment, int i) {
        JobId job = JobId.random();
        store.createJob(JobTestData.aJob().withId(job).withManifestation("M1").withTasks(10).build(), clock.instant());
        ProcessTask process = SegmentRelations.processTask(store, store, graphs, RETRY, Duration.ofMinutes(1), clock);
        TaskKey key = new TaskKey(job, "S" + i);

        ProcessTask.Outcome outcome = process.process(new ProcessTask.Command(key, null, "w1", "M1", environment));

        assertThat(outcome).as("%s", outcome).isInstanceOf(ProcessTask.Done.class);
        return store.task(key).orElseThrow().mappings();
    }

    private static EnvironmentGraphs environmentGraphs(AlignmentGraphs graphs) {
        assertThat(graphs).isInstanceOf(EnvironmentGraphs.class);
        return (EnvironmentGraphs) graphs;
    }

    // ------------------------------------------------------------------------ which graph a task searches

    @Test
    void aTaskOfEachEnvironmentIsSearchedInThatEnvironmentsGraph() {
        AlignmentGraphs graphs = graphsOf(settings(), new WorkerMetrics());

        assertThat(process(graphs, "PRODUCTION", 3)).isEqualTo(expectedInProductionFor(3));
        assertThat(process(graphs, "DEVELOPMENT", 3)).isEqualTo(WorkerFixtures.expectedFor(3));
        assertThat(process(graphs, "PRODUCTION", 4)).isEqualTo(expectedInProductionFor(4));
        assertThat(graphs.environments()).containsExactly("DEVELOPMENT", "PRODUCTION");
    }

    @Test
    void environmentsMatchInAnyCase() {
        AlignmentGraphs graphs = graphsOf(settings(), new WorkerMetrics());

        assertThat(process(graphs, "production", 6)).isEqualTo(expectedInProductionFor(6));
        assertThat(process(graphs, "Production", 7)).isEqualTo(expectedInProductionFor(7));
        assertThat(graphs.graph("production")).isSameAs(graphs.graph("PRODUCTION"));
    }

    @Test
    void aTaskWithoutEnvironmentOrOfAnEnvironmentWithoutItsOwnGraphIsSearchedInTheDefaultGraph() {
        WorkerMetrics metrics = new WorkerMetrics();
        Map<String, String> values = settings();
        values.remove("DEVELOPMENT_NEO4J_URI");
        AlignmentGraphs graphs = graphsOf(values, metrics);

        assertThat(process(graphs, null, 2)).isEqualTo(WorkerFixtures.expectedFor(2));
        assertThat(process(graphs, "STAGING", 2)).isEqualTo(WorkerFixtures.expectedFor(2));
        assertThat(process(graphs, "DEVELOPMENT", 2)).isEqualTo(WorkerFixtures.expectedFor(2));

        EnvironmentGraphs environments = environmentGraphs(graphs);
        assertThat(graphs.graph("STAGING")).isSameAs(environments.defaultGraph()).isSameAs(graphs.graph(null));
        assertThat(environments.isOpen("STAGING")).isFalse();
        assertThat(environments.isOpen("PRODUCTION")).isFalse();
        assertThat(metrics.scrape()).containsPattern("segrel_graph_environment_unconfigured_total [1-9]");
    }

    @Test
    void aNameThatIsNoEnvironmentIsRefused() {
        AlignmentGraphs graphs = graphsOf(settings(), new WorkerMetrics());

        assertThatThrownBy(() -> graphs.graph("prod-eu")).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------------ drivers

    /** The graphs over a connect function that records every driver it makes. */
    private EnvironmentGraphs counting(List<String> connected, WorkerMetrics metrics) {
        Neo4jEnvironments environments = Neo4jEnvironments.fromSettings(Settings.of(settings()));
        AlignmentGraph defaultGraph = Neo4jAlignmentGraph.connect(environments.defaultGraph());
        cleanUp.add(((Neo4jAlignmentGraph) defaultGraph)::close);
        EnvironmentGraphs graphs = new EnvironmentGraphs(defaultGraph, environments, (name, neo4j) -> neo4j,
                config -> {
                    connected.add(config.uri());
                    return Neo4jAlignmentGraph.connect(config);
                }, metrics);
        cleanUp.add(graphs::close);
        return graphs;
    }

    @Test
    void eachEnvironmentsDriverIsCreatedOnFirstUseOnlyAndOnce() {
        List<String> connected = new CopyOnWriteArrayList<>();
        EnvironmentGraphs graphs = counting(connected, new WorkerMetrics());

        assertThat(connected).as("no driver before a task needs one").isEmpty();
        assertThat(graphs.isOpen("PRODUCTION")).isFalse();

        AlignmentGraph first = graphs.graph("PRODUCTION");
        AlignmentGraph again = graphs.graph("production");
        assertThat(first.manifestationExists("M3")).isTrue();
        graphs.graph(null).manifestationExists("M1");
        graphs.graph("STAGING").manifestationExists("M1");

        assertThat(again).isSameAs(first);
        assertThat(connected).containsExactly(production.boltUri());
        assertThat(graphs.isOpen("PRODUCTION")).isTrue();
        assertThat(graphs.isOpen("DEVELOPMENT")).isFalse();

        graphs.graph("DEVELOPMENT");
        assertThat(connected).containsExactly(production.boltUri(), TestingNeo4j.get().boltUri());
    }

    @Test
    void tasksAskingForANewEnvironmentAtOnceOpenOneDriver() throws Exception {
        List<String> connected = new CopyOnWriteArrayList<>();
        EnvironmentGraphs graphs = counting(connected, new WorkerMetrics());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<AlignmentGraph>> asked = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                asked.add(threads.submit(() -> {
                    start.await();
                    return graphs.graph("PRODUCTION");
                }));
            }
            start.countDown();
            AlignmentGraph first = asked.get(0).get();
            for (Future<AlignmentGraph> f : asked) {
                assertThat(f.get()).isSameAs(first);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(connected).hasSize(1);
    }

    @Test
    void closingClosesTheEnvironmentsDriversAndLaterUseIsUnavailable() {
        List<String> connected = new CopyOnWriteArrayList<>();
        EnvironmentGraphs graphs = counting(connected, new WorkerMetrics());
        AlignmentGraph opened = graphs.graph("PRODUCTION");

        graphs.close();

        assertThat(graphs.isOpen("PRODUCTION")).isFalse();
        assertThatThrownBy(() -> opened.manifestationExists("M3")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> graphs.graph("PRODUCTION")).isInstanceOf(GraphUnavailableException.class)
                .hasMessageContaining("PRODUCTION");
        assertThat(graphs.graph(null).manifestationExists("M1")).as("the default graph is not this class's").isTrue();
    }

    @Test
    void theMetricsNameEveryConfiguredEnvironmentAndWhetherItsDriverIsOpen() {
        WorkerMetrics metrics = new WorkerMetrics();
        EnvironmentGraphs graphs = counting(new CopyOnWriteArrayList<>(), metrics);
        // a gauge's state is held weakly: it must survive a collection (it read NaN once)
        System.gc();

        assertThat(metrics.scrape()).contains("segrel_graph_environment_open{environment=\"DEVELOPMENT\"} 0.0",
                "segrel_graph_environment_open{environment=\"PRODUCTION\"} 0.0");

        graphs.graph("PRODUCTION");

        assertThat(metrics.scrape()).contains("segrel_graph_environment_open{environment=\"DEVELOPMENT\"} 0.0",
                "segrel_graph_environment_open{environment=\"PRODUCTION\"} 1.0");
    }

    @Test
    void anEnvironmentWhoseServerIsDownIsUnavailableAndTheOthersAreNot() {
        Map<String, String> values = settings();
        values.put("STAGING_NEO4J_URI", "bolt://127.0.0.1:" + LoopbackPorts.free());
        values.put("NEO4J_CONNECT_TIMEOUT_MS", "1000");
        AlignmentGraphs graphs = graphsOf(values, new WorkerMetrics());

        assertThatThrownBy(() -> graphs.graph("STAGING").manifestationExists("M1"))
                .isInstanceOf(GraphUnavailableException.class);
        assertThat(graphs.graph("PRODUCTION").manifestationExists("M3")).isTrue();
    }

    // ------------------------------------------------------------------------ Dragonfly

    private static String redisUrl() {
        // configured, local, else in process: never skipped
        return dev.segrel.testkit.cache.TestingRedis.url(15);
    }

    @Test
    void theTwoGraphsSlicesAreCachedUnderKeysThatNeverCollide() {
        String url = redisUrl();
        try (RedisCache cache = RedisCache.connect(DragonflyConfig.of(url))) {
            new CacheInvalidation(cache).invalidate(Optional.of("M1"));
            Map<String, String> values = settings();
            values.put("DRAGONFLY_URL", url);
            AlignmentGraphs graphs = graphsOf(values, new WorkerMetrics());

            assertThat(process(graphs, "PRODUCTION", 1)).isEqualTo(expectedInProductionFor(1));
            assertThat(process(graphs, null, 1)).isEqualTo(WorkerFixtures.expectedFor(1));
            assertThat(process(graphs, "DEVELOPMENT", 1)).isEqualTo(WorkerFixtures.expectedFor(1));

            ManifestationSlice inProduction = slice(cache, CacheKeys.environment("PRODUCTION"));
            ManifestationSlice inDefault = slice(cache, CacheKeys.DEFAULT);
            ManifestationSlice inDevelopment = slice(cache, CacheKeys.environment("DEVELOPMENT"));
            assertThat(inProduction.pairs()).singleElement()
                    .satisfies(p -> assertThat(p.targetManifestationId()).isEqualTo("M3"));
            assertThat(inDefault.pairs()).singleElement()
                    .satisfies(p -> assertThat(p.targetManifestationId()).isEqualTo("M2"));
            assertThat(inDevelopment).isEqualTo(inDefault);

            // invalidation reaches every environment's keys
            new CacheInvalidation(cache).invalidate(Optional.of("M1"));
            assertThat(cache.get(CacheKeys.environment("PRODUCTION").slice("M1"))).isEmpty();
            assertThat(cache.get(CacheKeys.DEFAULT.slice("M1"))).isEmpty();
        }
    }

    @Test
    void withoutTheIndexTheTwoGraphsAnswersAreCachedApartToo() {
        String url = redisUrl();
        try (RedisCache cache = RedisCache.connect(DragonflyConfig.of(url))) {
            new CacheInvalidation(cache).invalidate(Optional.empty());
            Map<String, String> values = settings();
            values.put("DRAGONFLY_URL", url);
            values.put("SEGREL_GRAPH_INDEX", "false");
            AlignmentGraphs graphs = graphsOf(values, new WorkerMetrics());

            assertThat(process(graphs, "PRODUCTION", 5)).isEqualTo(expectedInProductionFor(5));
            assertThat(process(graphs, null, 5)).isEqualTo(WorkerFixtures.expectedFor(5));
            // warm: each answered from its own namespace
            assertThat(process(graphs, "PRODUCTION", 5)).isEqualTo(expectedInProductionFor(5));
            assertThat(process(graphs, null, 5)).isEqualTo(WorkerFixtures.expectedFor(5));
            assertThat(graphs.graph("PRODUCTION").manifestationExists("M3")).isTrue();
            assertThat(graphs.graph(null).manifestationExists("M3")).isFalse();
        }
    }

    private static ManifestationSlice slice(RedisCache cache, CacheKeys keys) {
        byte[] bytes = cache.get(keys.slice("M1")).orElseThrow(() -> new AssertionError("no " + keys.slice("M1")));
        return SliceCodec.decode(bytes);
    }

}
