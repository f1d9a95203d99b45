package dev.segrel.devtools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/** The services {@code dev up} started: a handle that stops them all (in reverse order). */
public final class DevStack implements AutoCloseable {

    private final List<DevService> services;
    private boolean closed;

    private DevStack(List<DevService> services) {
        this.services = List.copyOf(services);
    }

    /** Starts each service in order; when one fails, stops those already started and rethrows. */
    static DevStack start(List<DevService.Starter> starters) {
        List<DevService> started = new ArrayList<>();
        try {
            for (DevService.Starter starter : starters) {
                started.add(starter.start());
            }
        } catch (RuntimeException e) {
            Collections.reverse(started);
            started.forEach(DevService::close);
            throw e;
        }
        return new DevStack(started);
    }

    /** Every service's variables, in order. */
    public SequencedMap<String, String> environment() {
        SequencedMap<String, String> all = new LinkedHashMap<>();
        services.forEach(s -> all.putAll(s.environment()));
        return all;
    }

    /** {@code export NAME=value} lines for a POSIX shell, values quoted where needed. */
    public List<String> exportLines() {
        List<String> lines = new ArrayList<>();
        environment().forEach((name, value) -> lines.add("export " + name + "=" + shellQuote(value)));
        return lines;
    }

    public List<DevService> services() {
        return services;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        services.reversed().forEach(DevService::close);
    }

    static String shellQuote(String value) {
        if (value.matches("[A-Za-z0-9_@%+=:,./-]*")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
