package dev.segrel.sqs;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.TaskQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Binds {@link TaskQueue}, {@link QueueAdmin} and {@link MessagePublisher} to SQS, with one shared {@link SqsClient}
 * (singletons). Needs a {@link Settings} binding unless built with a config. The runner closes the
 * {@link SqsClient} at shutdown, after the worker stopped. {@link TaskQueue} and {@link QueueAdmin} fail at injection when
 * {@code SQS_QUEUE_URL} is not set; the publisher fails at publish time when
 * {@code SQS_COMPLETED_QUEUE_URL} is not set.
 */
public final class SqsModule extends AbstractModule {

    private final SqsConfig config;

    /** Reads {@link SqsConfig} from the bound {@link Settings}. */
    public SqsModule() {
        this.config = null;
    }

    public SqsModule(SqsConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        if (config != null) {
            bind(SqsConfig.class).toInstance(config);
        } else {
            bind(SqsConfig.class).toProvider(FromSettings.class).in(Singleton.class);
        }
    }

    /** Parses the config once from the bound settings. */
    static final class FromSettings implements Provider<SqsConfig> {
        private final Settings settings;

        @Inject
        FromSettings(Settings settings) {
            this.settings = settings;
        }

        @Override
        public SqsConfig get() {
            return SqsConfig.fromSettings(settings);
        }
    }

    @Provides
    @Singleton
    SqsClient sqsClient(SqsConfig sqsConfig) {
        return SqsClients.create(sqsConfig);
    }

    @Provides
    @Singleton
    TaskQueue taskQueue(SqsClient client, SqsConfig sqsConfig) {
        return SqsTaskQueue.create(client, sqsConfig);
    }

    @Provides
    @Singleton
    SqsQueueAdmin sqsQueueAdmin(SqsClient client, SqsConfig sqsConfig) {
        return SqsQueueAdmin.create(client, sqsConfig);
    }

    @Provides
    @Singleton
    QueueAdmin queueAdmin(SqsQueueAdmin admin) {
        return admin;
    }

    @Provides
    @Singleton
    MessagePublisher messagePublisher(SqsClient client, SqsConfig sqsConfig) {
        return SqsMessagePublisher.create(client, sqsConfig);
    }
}
