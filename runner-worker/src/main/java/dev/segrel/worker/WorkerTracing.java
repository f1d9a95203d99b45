package dev.segrel.worker;

import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runners' tracing, from the standard OpenTelemetry variables: off, and free, unless one of them
 * asks for traces ({@code OTEL_TRACES_EXPORTER} other than {@code none}, or an OTLP endpoint); then an
 * SDK built by {@link AutoConfiguredOpenTelemetrySdk} from every {@code OTEL_*} variable (the
 * environment first, then {@code .env}), exporting traces only unless {@code OTEL_METRICS_EXPORTER} or
 * {@code OTEL_LOGS_EXPORTER} say otherwise ({@code segrel_*} metrics stay Prometheus'), over OTLP
 * {@code http/protobuf} unless {@code OTEL_EXPORTER_OTLP_PROTOCOL} says {@code grpc}.
 */
public final class WorkerTracing {

    /** The variables that turn tracing on. */
    static final List<String> SWITCHES = List.of("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");

    private static final Logger log = LoggerFactory.getLogger(WorkerTracing.class);
    /** How long shutting down waits for the exporter. */
    private static final long SHUTDOWN_SECONDS = 5;

    private WorkerTracing() {}

    /** True when {@code settings} ask for traces. */
    public static boolean enabled(Settings settings) {
        if (settings.get("OTEL_SDK_DISABLED").map(v -> v.trim().equalsIgnoreCase("true")).orElse(false)) {
            return false;
        }
        String exporter = settings.get("OTEL_TRACES_EXPORTER").map(String::trim).orElse("");
        if (!exporter.isEmpty()) {
            return !exporter.equalsIgnoreCase("none");
        }
        return SWITCHES.stream().skip(1).anyMatch(key -> settings.get(key).filter(v -> !v.isBlank()).isPresent());
    }

    /**
     * {@link Tracing#noop()} when tracing is off (no SDK is built); else an SDK from the variables,
     * service {@code OTEL_SERVICE_NAME} or {@code defaultServiceName}. Closing the result (the injector's
     * {@link Resources} does) flushes and stops the SDK.
     */
    public static Tracing fromSettings(Settings settings, String defaultServiceName) {
        if (!enabled(settings)) {
            return Tracing.noop();
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(settings, defaultServiceName))
                // the runners shut it down themselves, after the worker stopped or the command ended
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        log.info("Traces: exported as configured by OTEL_* (service {})",
                settings.get("OTEL_SERVICE_NAME").orElse(defaultServiceName));
        return new OtelTracing(sdk, () -> sdk.shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS));
    }

    /**
     * Tracing into an OpenTelemetry the caller built and owns (an SDK with an in-memory exporter, in
     * tests): closing the result leaves it running.
     */
    public static Tracing over(OpenTelemetry openTelemetry) {
        return new OtelTracing(openTelemetry, () -> { });
    }

    /**
     * The lowest layer of the SDK's configuration (system properties and the environment come first):
     * segrel's defaults, then the {@code OTEL_*} keys of {@code .env} as property names.
     */
    static Map<String, String> defaults(Settings settings, String defaultServiceName) {
        Map<String, String> properties = new HashMap<>();
        properties.put("otel.service.name", defaultServiceName);
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        // the specification's default (port 4318), which the SDK's own (grpc) is not
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        settings.asMap().keySet().stream().filter(key -> key.startsWith("OTEL_"))
                .forEach(key -> settings.get(key).ifPresent(value -> properties.put(property(key), value)));
        return properties;
    }

    /** {@code OTEL_SERVICE_NAME} as the SDK's property name {@code otel.service.name}. */
    static String property(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
