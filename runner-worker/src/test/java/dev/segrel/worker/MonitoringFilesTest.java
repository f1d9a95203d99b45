package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dashboard imports into Grafana as it is, and every alert rule says how bad it is and what to do. */
class MonitoringFilesTest {

    private static final String DATASOURCE = "${datasource}";

    @Test
    void theDashboardIsOfACurrentSchemaWithADatasourceAnEnvironmentAndAWorkerVariable() {
        JsonNode dashboard = MonitoringFiles.dashboard();

        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        Map<String, JsonNode> variables = new java.util.HashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertThat(variables).containsKeys("datasource", "environment", "instance");
        assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
        for (String name : List.of("environment", "instance")) {
            JsonNode v = variables.get(name);
            assertThat(v.path("datasource").path("uid").asText()).as(name).isEqualTo(DATASOURCE);
            assertThat(v.path("query").path("query").asText()).as(name).startsWith("label_values(").endsWith(", " + name + ")");
        }
    }

    @Test
    void everyPanelHasTheDatasourceVariableAUnitAPlaceAndQueries() {
        List<JsonNode> panels = MonitoringFiles.panels(MonitoringFiles.dashboard());
        Set<Integer> ids = new HashSet<>();

        assertThat(panels).hasSizeGreaterThan(10);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as(title).isPositive();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo(DATASOURCE);
            assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText()).as(title).isNotBlank();
            assertThat(panel.path("description").asText()).as(title).isNotBlank();
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).as(title).isEqualTo(DATASOURCE);
                assertThat(target.path("expr").asText()).as(title).isNotBlank();
            }
        }
    }

    @Test
    void theDashboardCoversEveryItemOfTheIssue() {
        String queries = String.join("\n", MonitoringFiles.expressions().values());

        assertThat(queries).contains("rate(segrel_tasks_completed_total", "segrel_backlog_tasks",
                "segrel_queue_messages", "segrel_backlog_oldest_task_age_seconds",
                "sum by (environment, reason) (rate(segrel_tasks_failed_total",
                "sum by (environment, reason) (rate(segrel_messages_dead_lettered_total",
                "sum by (environment) (rate(segrel_tasks_completed_total",
                "segrel_lease_takeovers_total", "segrel_outbox_oldest_age_seconds", "segrel_outbox_pending",
                "cache=\"index\"", "cache=\"dragonfly\"", "environment=~\"$environment\"");
    }

    @Test
    void noQueryNamesAWorkerOrAnEnvironmentOfItsOwn() {
        MonitoringFiles.expressions().forEach((where, expr) -> {
            assertThat(expr).as(where).doesNotContainPattern("instance=\"").doesNotContainPattern("environment=\"");
        });
    }

    @Test
    void everyRuleWaitsAndHasASeverityASummaryADescriptionAndARunbookThatExists() throws Exception {
        List<JsonNode> rules = MonitoringFiles.rules(MonitoringFiles.alerts());
        String operations = Files.readString(MonitoringFiles.root().resolve("docs/operations.md"));

        assertThat(rules).hasSizeGreaterThanOrEqualTo(8);
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            assertThat(name).startsWith("Segrel");
            assertThat(rule.path("expr").asText()).as(name).isNotBlank();
            assertThat(rule.path("for").asText()).as(name).matches("[0-9]+[smh]");
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning", "info");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
            String runbook = rule.path("annotations").path("runbook_url").asText();
            assertThat(runbook).as(name).startsWith("docs/operations.md#");
            String anchor = runbook.substring(runbook.indexOf('#') + 1);
            assertThat(operations.lines().filter(l -> l.startsWith("#"))
                    .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 -]", "")
                            .replace(' ', '-')))
                    .as("a heading of docs/operations.md for " + runbook).contains(anchor);
            assertThat(operations).as("docs/operations.md names " + name).contains(name);
        }
    }
}
