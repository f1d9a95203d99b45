package dev.segrel.worker;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.segrel.core.config.Secrets;

/** {@code %redactedEx}: the stack trace (with packaging data) masked by {@link Secrets#redact}. */
public final class RedactedThrowableConverter extends ExtendedThrowableProxyConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.redact(super.convert(event));
    }
}
