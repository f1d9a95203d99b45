package dev.segrel.worker;

import com.fasterxml.jackson.core.JsonStreamContext;
import dev.segrel.core.config.Secrets;
import net.logstash.logback.mask.ValueMasker;

/** Masks credentials in every string field of a JSON log line (message, stack trace, MDC) as {@link Secrets#redact}. */
public final class RedactingValueMasker implements ValueMasker {

    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String masked = Secrets.redact(text.toString());
            // null means "leave it as it is" to the decorator
            return masked.contentEquals(text) ? null : masked;
        }
        return null;
    }
}
