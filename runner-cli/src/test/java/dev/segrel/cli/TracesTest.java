package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import dev.segrel.worker.WorkerApp;
import dev.segrel.worker.WorkerTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One trace from {@code segrel job create} to the completion message: the CLI's code path and a worker
 * in this JVM, on the real servers, spans into the SDK's in-memory exporter.
 */
class TracesTest {

    private static final Pattern JOB_ID = Pattern.compile("\"job_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    static OpsEnv env;
    InMemorySpanExporter spans;
    OpenTelemetrySdk sdk;
    WorkerApp worker;

    @BeforeAll
    static void servers() {
        env = OpsEnv.create("traces");
    }

    @AfterAll
    static void closeServers() {
        if (env != null) {
            env.close();
        }
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(10));
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    @Test
    void jobCreateStartsOneConnectedTraceThatTheCompletionMessageCarriesOn() {
        Tracing tracing = inMemoryTracing();
        OpsEnv.drain(env.urls.completed());

        JobId job = create(tracing, "--batch-size", "0");
        List<Message> completions = awaitCompletion(job, 1);
        worker.stop(Duration.ofSeconds(10));
        worker = null;

        List<SpanData> finished = spans.getFinishedSpanItems();
        SpanData root = one(finished, "job create");
        String traceId = root.getTraceId();
        assertThat(root.getParentSpanContext().isValid()).as("job create is the root").isFalse();
        assertThat(root.getAttributes().get(AttributeKey.stringKey("segrel.job_id"))).isEqualTo(job.toString());
        assertThat(root.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count"))).isEqualTo(3L);

        assertThat(completions).hasSize(1);
        MessageAttributeValue carried = completions.get(0).messageAttributes().get("traceparent");
        assertThat(carried).as("the completion message's traceparent").isNotNull();
        assertThat(carried.dataType()).isEqualTo("String");
        TraceContext completion = TraceContext.parse(carried.stringValue(), null);
        assertThat(completion.traceId()).isEqualTo(traceId);

        // every span of the job is of that trace, and hangs off another of its spans: one tree
        assertThat(finished).extracting(SpanData::getTraceId).containsOnly(traceId);
        Set<String> ids = finished.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        for (SpanData span : finished) {
            if (span != root) {
                assertThat(ids).as("parent of " + span.getName()).contains(span.getParentSpanId());
            }
        }
        assertThat(finished).extracting(SpanData::getName)
                .contains("job create", "receive", "process", "claim", "search", "store", "completion send");

        List<SpanData> receives = all(finished, "receive");
        assertThat(receives).hasSize(3).allSatisfy(r -> {
            assertThat(r.getParentSpanId()).isEqualTo(root.getSpanId());
            assertThat(r.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
                    .isEqualTo(queueName(env.urls.queue()));
            assertThat(r.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count"))).isBetween(1L, 3L);
        });
        // A reaches B: each segment's search visits two manifestations, from the index (loaded once, then hits)
        long visited = all(finished, "search").stream()
                .mapToLong(s -> s.getAttributes().get(AttributeKey.longKey("segrel.search.manifestations_visited")))
                .sum();
        assertThat(visited).isEqualTo(6);
        long indexed = all(finished, "search").stream()
                .mapToLong(s -> count(s, "segrel.index.hits") + count(s, "segrel.index.loads")).sum();
        assertThat(indexed).as("manifestations asked of the index").isPositive();
        assertThat(all(finished, "store").stream().mapToLong(s -> count(s, "segrel.jobs_finished")).sum()).isEqualTo(1);

        SpanData send = one(finished, "completion send");
        assertThat(send.getSpanId()).as("the message continues the send span").isEqualTo(completion.spanId());
        SpanData parent = finished.stream().filter(s -> s.getSpanId().equals(send.getParentSpanId())).findFirst()
                .orElseThrow();
        assertThat(parent.getName()).isEqualTo("store");
        assertThat(count(parent, "segrel.jobs_finished")).isEqualTo(1);
    }

    @Test
    void aBatchedJobsSpansAndCompletionMessageAreOneTraceToo() {
        Tracing tracing = inMemoryTracing();
        OpsEnv.drain(env.urls.completed());

        // as the deployed producer: two batch messages, each announced by its own completion message
        JobId job = create(tracing, "--environment", "DEVELOPMENT:PRODUCTION", "--new", "--batch-size", "2");
        List<Message> completions = awaitCompletion(job, 2);
        worker.stop(Duration.ofSeconds(10));
        worker = null;

        List<SpanData> finished = spans.getFinishedSpanItems();
        String traceId = one(finished, "job create").getTraceId();
        assertThat(finished).extracting(SpanData::getTraceId).containsOnly(traceId);
        assertThat(all(finished, "receive")).hasSize(2);
        assertThat(all(finished, "completion send")).hasSize(2);
        assertThat(completions).hasSize(2).allSatisfy(m -> assertThat(
                TraceContext.parse(m.messageAttributes().get("traceparent").stringValue(), null).traceId())
                .isEqualTo(traceId));
    }

    @Test
    void withTracingOffNoMessageCarriesATraceparent() {
        assertThat(WorkerTracing.fromSettings(env.settings, "segrel")).as("no SDK built")
                .isSameAs(Tracing.noop());
        OpsEnv.drain(env.urls.completed());

        JobId job = create(null, "--batch-size", "0");
        List<Message> completions = awaitCompletion(job, 1);

        assertThat(completions).hasSize(1);
        assertThat(completions.get(0).messageAttributes()).doesNotContainKey("traceparent");
    }

    /** Runs {@code segrel job create -m A} with {@code tracing} (null: the production wiring), then a worker. */
    private JobId create(Tracing tracing, String... options) {
        List<Module> overrides = tracing == null ? List.of() : List.of(bind(tracing));
        List<String> args = new ArrayList<>(List.of("job", "create", "-m", "A", "--json"));
        args.addAll(List.of(options));
        CliRun run = CliRun.run(new CliContext(() -> env.settings, new ByteArrayInputStream(new byte[0]), () -> {
            throw new AssertionError("job create does not wait for a signal");
        }, overrides), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher id = JOB_ID.matcher(run.out());
        assertThat(id.find()).as(run.out()).isTrue();
        JobId job = JobId.parse(id.group(1));

        Map<String, String> values = new HashMap<>(env.settings.asMap());
        values.put("SQS_WAIT_SECONDS", "1");
        values.put("SEGREL_HTTP_PORT", "-1");
        values.put("SEGREL_RELAY_INTERVAL_MS", "100");
        worker = WorkerApp.start(Settings.of(values), Clock.systemUTC(), overrides);
        return job;
    }

    /** Waits for the job to complete and {@code expected} messages on the completed queue; any more are read too. */
    private List<Message> awaitCompletion(JobId job, int expected) {
        JobStatus status = Awaiting.until(() -> env.jobs().jobStatus(job).orElseThrow(), s -> s.state().isTerminal(),
                Duration.ofSeconds(60));
        assertThat(status.state()).isEqualTo(JobState.COMPLETED);
        List<Message> got = new ArrayList<>();
        Awaiting.until(() -> {
            got.addAll(TestingSqs.client().receiveMessage(b -> b.queueUrl(env.urls.completed())
                    .maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages());
            return got;
        }, messages -> messages.size() >= expected, Duration.ofSeconds(30));
        got.addAll(TestingSqs.client().receiveMessage(b -> b.queueUrl(env.urls.completed())
                .maxNumberOfMessages(10).waitTimeSeconds(0).messageAttributeNames("All")).messages());
        return got;
    }

    private Tracing inMemoryTracing() {
        spans = InMemorySpanExporter.create();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .build();
        return WorkerTracing.over(sdk);
    }

    private static Module bind(Tracing tracing) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Tracing.class).toInstance(tracing);
            }
        };
    }

    private static SpanData one(List<SpanData> spans, String name) {
        List<SpanData> named = all(spans, name);
        assertThat(named).as("spans named " + name).hasSize(1);
        return named.get(0);
    }

    private static List<SpanData> all(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).toList();
    }

    private static long count(SpanData span, String key) {
        Long value = span.getAttributes().get(AttributeKey.longKey(key));
        return value == null ? 0 : value;
    }

    private static String queueName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
