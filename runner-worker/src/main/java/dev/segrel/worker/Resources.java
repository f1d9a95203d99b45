package dev.segrel.worker;

import com.google.inject.AbstractModule;
import com.google.inject.matcher.Matchers;
import com.google.inject.spi.ProvisionListener;
import dev.segrel.core.config.Secrets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers every {@link AutoCloseable} the injector creates (connection pools, drivers, clients) and
 * closes them, newest first, when asked. A runner closes exactly what it opened: under a lazy
 * injector (the CLI) a command that never touched SQS opens no SQS client, and none is opened just
 * to close it. Install it once per injector. Thread-safe.
 */
public final class Resources extends AbstractModule implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Resources.class);

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @Override
    protected void configure() {
        bind(Resources.class).toInstance(this);
        bindListener(Matchers.any(), new ProvisionListener() {
            @Override
            public <T> void onProvision(ProvisionInvocation<T> provision) {
                T made = provision.provision();
                if (made instanceof AutoCloseable closeable && provision.getBinding().acceptScopingVisitor(new Singletons())) {
                    remember(closeable);
                }
            }
        });
    }

    /** Also close {@code closeable}, which a provider made inside another binding (an optional cache). */
    public <T extends AutoCloseable> T register(T closeable) {
        remember(closeable);
        return closeable;
    }

    private synchronized void remember(AutoCloseable closeable) {
        if (closeable != this && !opened.contains(closeable)) {
            opened.push(closeable);
        }
    }

    /** Closes what was opened, newest first; a failure to close one is logged and the rest are closed. */
    @Override
    public void close() {
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                next = opened.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                log.warn("Closing {} failed: {}", next.getClass().getSimpleName(),
                        Secrets.redact(String.valueOf(e.getMessage())));
            }
        }
    }

    /** Only singletons are resources the injector owns; anything else belongs to whoever asked for it. */
    private static final class Singletons extends com.google.inject.spi.DefaultBindingScopingVisitor<Boolean> {
        @Override
        protected Boolean visitOther() {
            return false;
        }

        @Override
        public Boolean visitEagerSingleton() {
            return true;
        }

        @Override
        public Boolean visitScope(com.google.inject.Scope scope) {
            return scope == com.google.inject.Scopes.SINGLETON;
        }

        @Override
        public Boolean visitScopeAnnotation(Class<? extends java.lang.annotation.Annotation> scopeAnnotation) {
            return scopeAnnotation == com.google.inject.Singleton.class;
        }
    }
}
