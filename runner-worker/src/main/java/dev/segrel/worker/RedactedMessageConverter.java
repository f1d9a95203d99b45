package dev.segrel.worker;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.segrel.core.config.Secrets;

/**
 * {@code %redactedMsg}: the message with every credential masked by {@link Secrets#redact}.
 * Libraries log URIs as they were given (the Neo4j driver prints {@code bolt://user:password@host}
 * at INFO); one masking rule for log lines and error texts keeps the two from drifting apart.
 */
public final class RedactedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.redact(event.getFormattedMessage());
    }
}
