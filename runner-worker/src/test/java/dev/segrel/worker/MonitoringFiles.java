package dev.segrel.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dashboard and the alert rules under docs/, as their tools read them, and every PromQL they query. */
final class MonitoringFiles {

    static final String DASHBOARD = "docs/grafana/segrel.json";
    static final String ALERTS = "docs/prometheus/alerts.yml";
    static final String ALERTS_TEST = "docs/prometheus/alerts-test.yml";

    private MonitoringFiles() {}

    /** The checkout's root: the first folder up from the module's that holds the dashboard. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve(DASHBOARD))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(DASHBOARD + " not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static JsonNode dashboard() {
        return read(new ObjectMapper(), DASHBOARD);
    }

    static JsonNode alerts() {
        return read(new ObjectMapper(new YAMLFactory()), ALERTS);
    }

    private static JsonNode read(ObjectMapper mapper, String file) {
        try {
            return mapper.readTree(Files.readString(root().resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel of the dashboard, those inside collapsed rows too. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** Every rule of every group. */
    static List<JsonNode> rules(JsonNode alerts) {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : alerts.path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    /** Every PromQL expression of the dashboard and of the rules, keyed by where it is. */
    static Map<String, String> expressions() {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode dashboard = dashboard();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                out.put("variable " + variable.path("name").asText(), query.isObject() ? query.path("query").asText()
                        : query.asText());
            }
        }
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                out.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode rule : rules(alerts())) {
            out.put("rule " + rule.path("alert").asText(rule.path("record").asText()), rule.path("expr").asText());
        }
        return out;
    }
}
