package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.Tracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** When tracing is on, how spans continue contexts and what the log lines carry; and that off costs nothing. */
class WorkerTracingTest {

    private static final String PRODUCER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    private final Tracing tracing = WorkerTracing.over(sdk);

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void tracingIsOffWithoutAnOtelVariableAskingForTraces() {
        assertThat(WorkerTracing.fromSettings(Settings.of(Map.of()), "segrel-worker")).isSameAs(Tracing.noop());
        assertThat(WorkerTracing.enabled(Settings.of(Map.of("OTEL_SERVICE_NAME", "x")))).isFalse();
        assertThat(WorkerTracing.enabled(Settings.of(Map.of("OTEL_TRACES_EXPORTER", "none",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")))).isFalse();
        assertThat(WorkerTracing.enabled(Settings.of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_SDK_DISABLED", "true")))).isFalse();
    }

    @Test
    void anOtlpEndpointOrAnExporterTurnsTracingOn() {
        assertThat(WorkerTracing.enabled(Settings.of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))))
                .isTrue();
        assertThat(WorkerTracing.enabled(Settings.of(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318"))))
                .isTrue();
        assertThat(WorkerTracing.enabled(Settings.of(Map.of("OTEL_TRACES_EXPORTER", "otlp")))).isTrue();
    }

    @Test
    void theSdkIsConfiguredFromDotEnvBelowTheEnvironmentWithTracesOnlyByDefault() {
        Map<String, String> defaults = WorkerTracing.defaults(
                Settings.of(Map.of("OTEL_SERVICE_NAME", "my-worker", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")),
                "segrel-worker");
        assertThat(defaults).containsEntry("otel.service.name", "my-worker")
                .containsEntry("otel.exporter.otlp.protocol", "grpc")
                .containsEntry("otel.metrics.exporter", "none")
                .containsEntry("otel.logs.exporter", "none");
        assertThat(WorkerTracing.defaults(Settings.of(Map.of()), "segrel"))
                .containsEntry("otel.exporter.otlp.protocol", "http/protobuf");
        assertThat(WorkerTracing.defaults(Settings.of(Map.of()), "segrel")).containsEntry("otel.service.name", "segrel");
    }

    @Test
    void withAnOtlpEndpointTheSpansReachItByShutdownAtTheLatest() throws Exception {
        List<byte[]> posts = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            posts.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            Tracing otlp = WorkerTracing.fromSettings(Settings.of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://127.0.0.1:" + collector.getAddress().getPort())), "segrel-worker");
            assertThat(otlp).isNotSameAs(Tracing.noop());
            try (Tracing.TraceSpan span = otlp.start("job create")) {
                span.attribute("segrel.job_id", "J");
            }
            // a short command's spans: exported by the shutdown at its exit, not lost with the JVM
            otlp.shutdown();
        } finally {
            collector.stop(0);
        }
        String exported = posts.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1))
                .reduce("", String::concat);
        assertThat(exported).contains("segrel-worker", "job create", "segrel.job_id");
    }

    @Test
    void aSpanContinuesTheProducersTraceAndCarriesItsOwnContextOn() {
        TraceContext carried;
        try (Tracing.TraceSpan span = tracing.start("receive", TraceContext.parse(PRODUCER, "vendor=1"), List.of())) {
            carried = span.context();
            try (Tracing.TraceSpan child = tracing.start("claim")) {
                child.add("segrel.index.hits", 2).add("segrel.index.hits", 3);
                tracing.current().add("segrel.index.loads", 1);
            }
        }
        assertThat(carried.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(carried.tracestate()).isEqualTo("vendor=1");
        List<SpanData> finished = spans.getFinishedSpanItems();
        SpanData receive = finished.stream().filter(s -> s.getName().equals("receive")).findFirst().orElseThrow();
        SpanData claim = finished.stream().filter(s -> s.getName().equals("claim")).findFirst().orElseThrow();
        assertThat(receive.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(receive.getSpanId()).isEqualTo(carried.spanId());
        assertThat(claim.getParentSpanId()).isEqualTo(receive.getSpanId());
        assertThat(claim.getAttributes().asMap().toString()).contains("segrel.index.hits=5", "segrel.index.loads=1");
        assertThat(tracing.current().context()).as("nothing current once closed").isNull();
    }

    @Test
    void aSetSpanLinksTheOtherMessagesContexts() {
        String other = "00-11111111111111111111111111111111-2222222222222222-01";
        try (Tracing.TraceSpan span = tracing.start("process", TraceContext.parse(PRODUCER, null),
                List.of(TraceContext.parse(other, null)))) {
            assertThat(span.context().traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        }
        SpanData process = spans.getFinishedSpanItems().get(0);
        assertThat(process.getLinks()).singleElement()
                .satisfies(l -> assertThat(l.getSpanContext().getSpanId()).isEqualTo("2222222222222222"));
    }

    @Test
    void textLinesKeepTheServicesFormatAndGainTraceIdsOnlyInsideASpan() {
        Logger log = LoggerFactory.getLogger("dev.segrel.worker.TraceLines");
        String outside;
        String inside;
        String spanId;
        String traceId;
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        WorkerLogging.Installed installed = WorkerLogging.install(Settings.of(Map.of()), WorkerLogging.Target.STDERR);
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            MDC.put("job_id", "J");
            MDC.put("segment_id", "S");
            MDC.put("attempt", "1");
            log.info("Completed segment S for job J: 2 mappings");
            outside = lastLine(captured);
            try (Tracing.TraceSpan span = tracing.start("store")) {
                traceId = span.context().traceId();
                spanId = span.context().spanId();
                log.info("Completed segment S for job J: 2 mappings");
                inside = lastLine(captured);
            }
            MDC.clear();
            log.info("a line of no task");
            assertThat(lastLine(captured)).endsWith(" - INFO - a line of no task");
        } finally {
            System.setErr(original);
            MDC.clear();
            installed.close();
        }
        assertThat(outside).endsWith(" - dev.segrel.worker.TraceLines - INFO - Completed segment S for job J: 2 mappings"
                + " [job=J segment=S attempt=1]");
        assertThat(inside).endsWith(" - INFO - Completed segment S for job J: 2 mappings [job=J segment=S attempt=1]"
                + " [trace_id=" + traceId + " span_id=" + spanId + "]");
        assertThat(MDC.get(OtelTracing.TRACE_ID)).as("the span's ids leave the MDC with it").isNull();
    }

    @Test
    void jsonLinesCarryTheSpansIdsAsFields() {
        Logger log = LoggerFactory.getLogger("dev.segrel.worker.TraceLines");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        WorkerLogging.Installed installed = WorkerLogging.install(Settings.of(Map.of("LOG_FORMAT", "json")),
                WorkerLogging.Target.STDERR);
        String line;
        TraceContext context;
        String outside;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (Tracing.TraceSpan span = tracing.start("claim")) {
                context = span.context();
                log.info("claimed");
                line = lastLine(captured);
            }
            log.info("outside");
            outside = lastLine(captured);
        } finally {
            System.setErr(original);
            installed.close();
        }
        assertThat(line).contains("\"message\":\"claimed\"", "\"trace_id\":\"" + context.traceId() + "\"",
                "\"span_id\":\"" + context.spanId() + "\"");
        assertThat(outside).contains("\"message\":\"outside\"").doesNotContain("trace_id", "span_id");
    }

    private static String lastLine(ByteArrayOutputStream captured) {
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
