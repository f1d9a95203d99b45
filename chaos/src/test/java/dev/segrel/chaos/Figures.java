package dev.segrel.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one scenario did and found, appended to {@code target/chaos-report.md} (one table per scenario),
 * the figures docs/reliability.md quotes.
 */
final class Figures {

    private final String scenario;
    private final Map<String, Object> values = new LinkedHashMap<>();

    Figures(String scenario) {
        this.scenario = scenario;
    }

    Figures put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    Object get(String name) {
        return values.get(name);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(scenario).append(ChaosRig.FULL ? " (full run)" : " (reduced run)").append("\n\n");
        out.append("| figure | value |\n|---|---|\n");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            out.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
        }
        return out.append('\n').toString();
    }

    /** Appends the table to the report and prints it. */
    void write(Duration took) {
        put("wall time (s)", took.toSeconds());
        String text = markdown();
        System.out.print(text);
        try {
            Path report = Path.of("target", "chaos-report.md");
            Files.createDirectories(report.getParent());
            Files.writeString(report, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
