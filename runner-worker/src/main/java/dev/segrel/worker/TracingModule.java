package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.Tracing;

/**
 * Binds {@link Tracing} from the {@code OTEL_*} settings ({@link WorkerTracing}): the no-op one when
 * they ask for no traces. Both runners install it; {@link Resources} shuts the SDK down with the
 * injector, which exports what is still buffered.
 */
public final class TracingModule extends AbstractModule {

    /** The worker's service name unless {@code OTEL_SERVICE_NAME} says otherwise. */
    public static final String WORKER_SERVICE = "segrel-worker";
    /** The operator CLI's. */
    public static final String CLI_SERVICE = "segrel";

    private final String defaultServiceName;

    public TracingModule(String defaultServiceName) {
        this.defaultServiceName = requireNonNull(defaultServiceName, "defaultServiceName is null");
    }

    @Provides
    @Singleton
    Tracing tracing(Settings settings) {
        return WorkerTracing.fromSettings(settings, defaultServiceName);
    }
}
