package dev.segrel.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition, read sample by sample. */
final class Scrape {

    /** One sample: its metric name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    static Scrape of(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
        }
        return new Scrape(samples);
    }

    List<Sample> samples() {
        return samples;
    }

    /** The value of the sample of {@code name} whose labels include {@code labels} (key, value, key, value...); NaN when none. */
    double value(String name, String... labels) {
        for (Sample s : samples) {
            if (s.name().equals(name) && has(s, labels)) {
                return s.value();
            }
        }
        return Double.NaN;
    }

    /** The sum of every sample of {@code name} whose labels include {@code labels}, over the other labels; 0 when none. */
    double total(String name, String... labels) {
        double sum = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && has(s, labels)) {
                sum += s.value();
            }
        }
        return sum;
    }

    private static boolean has(Sample s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
