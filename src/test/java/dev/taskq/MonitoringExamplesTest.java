package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.taskq.internal.metrics.TaskQMeter;
import dev.taskq.support.PromQl;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules under {@code examples/monitoring/}, and the README's metric
 * table: each name they use is one TaskQ emits, in all three outputs, so neither breaks on a server.
 */
class MonitoringExamplesTest {

    private static final Path MONITORING = Path.of("examples", "monitoring");
    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> SCRAPE_LABELS = Set.of("instance", "job");
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void everyQueryOfTheDashboardUsesOnlyWhatTaskQEmits() throws IOException {
        JsonNode dashboard = json.readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        assertTrue(dashboard.path("title").isTextual() && dashboard.path("uid").isTextual()
                && dashboard.path("schemaVersion").isInt(), "a dashboard has a title, a uid and a schema version");
        Set<String> variables = new HashSet<>();
        List<String> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.add(variable.path("name").asText());
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            Matcher labelValues = LABEL_VALUES.matcher(text);
            if (labelValues.matches()) {
                queries.add(labelValues.group(1));
                assertLabels(Set.of(labelValues.group(2)), text);
            }
        }
        assertTrue(variables.containsAll(Set.of("datasource", "queue")), "variables: " + variables);

        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels(dashboard.path("panels"))) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + panel.path("id"));
            JsonNode grid = panel.path("gridPos");
            assertTrue(grid.path("w").asInt() > 0 && grid.path("x").asInt() + grid.path("w").asInt() <= 24
                    && grid.path("h").asInt() > 0, "a panel fits Grafana's 24 columns: " + panel.path("title"));
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            assertTrue(panel.path("targets").size() > 0, "a panel queries something: " + panel.path("title"));
            for (JsonNode target : panel.path("targets")) {
                assertTrue(target.path("refId").isTextual(), panel.path("title").asText());
                queries.add(target.path("expr").asText());
            }
        }
        assertTrue(queries.size() >= 10, "the dashboard's queries: " + queries);
        queries.forEach(MonitoringExamplesTest::assertEmitted);
    }

    @Test
    void everyAlertRuleUsesOnlyWhatTaskQEmits() throws IOException {
        Map<String, String> alerts = new TreeMap<>();
        for (JsonNode group : yaml.readTree(MONITORING.resolve("prometheus-alerts.yml").toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                assertTrue(rule.path("labels").path("severity").isTextual()
                        && rule.path("annotations").path("summary").isTextual(), name + " has a severity and a "
                        + "summary");
                alerts.put(name, rule.path("expr").asText());
            }
        }
        // The alerts the README promises, each on the meter it is about.
        assertUses(alerts, "TaskQFailedTasksGrowing", "taskq_tasks");
        assertUses(alerts, "TaskQOldestDueTaskWaiting", "taskq_oldest_pending_seconds");
        assertUses(alerts, "TaskQNoHeartbeat", "taskq_heartbeat_timestamp_seconds");
        assertUses(alerts, "TaskQPausedQueueFillingUp", "taskq_queue_paused", "taskq_tasks");
        alerts.values().forEach(MonitoringExamplesTest::assertEmitted);
    }

    @Test
    void aNameTaskQDoesNotEmitIsCaught() {
        assertEquals(Set.of("taskq_attempt_total"), unknown(
                "sum by (queue) (rate(taskq_attempt_total{outcome=\"failed\"}[5m]))"), "a typo");
        assertEquals(Set.of("taskq_node_succeeded_per_minute"), unknown("taskq_node_succeeded_per_minute > 0"),
                "a name the admin text used to print");
        assertEquals(Set.of("taskq_attempt_duration_seconds"), unknown(
                "histogram_quantile(0.99, taskq_attempt_duration_seconds)"), "Payara's quantiles: not in all outputs");
        assertEquals(Set.of("taskq_queue_paused", "taskq_tasks"), PromQl.metricNames("max by (queue) "
                + "(taskq_queue_paused) == 1 and on (queue) max by (queue) (delta(taskq_tasks{group=\"pending\"}[30m]))"
                + " > 0"), "every name is found; labels, functions, keywords and durations are not names");
        assertEquals(Set.of("taskq_heartbeat_timestamp_seconds"), PromQl.metricNames(
                "time() - taskq_heartbeat_timestamp_seconds offset 1m > 1.5e1"));
        assertEquals(Set.of("outcome", "queue", "task"), PromQl.labelNames("sum by (task) (rate(x{queue=~\"$queue\","
                + " outcome!=\"a,b=c\"}[$__rate_interval]))"));
    }

    @Test
    void theReadmeTableListsEveryMeterWithItsTypeAndLabels() throws IOException {
        Map<String, String> rows = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `(taskq_[a-z_]+)` \\| ([^|]+) \\| ([^|]+) \\|");
        for (String line : Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)) {
            Matcher cells = row.matcher(line);
            if (cells.find()) {
                rows.put(cells.group(1), cells.group(2).strip() + " | " + cells.group(3).strip());
            }
        }
        Map<String, String> expected = new TreeMap<>();
        for (TaskQMeter meter : TaskQMeter.values()) {
            TaskQMeter.Family family = meter.families().get(0);
            String type = meter.type() == TaskQMeter.Type.TIMER ? "summary (`_count`, `_sum`) and gauge `_max`"
                    : family.type();
            expected.put(family.name(), type + " | " + (meter.labels().isEmpty() ? "none"
                    : String.join(", ", meter.labels())));
        }
        assertEquals(expected, rows);
    }

    @Test
    void promtoolAcceptsTheRulesTheirTestsAndTheDashboardsQueries() throws Exception {
        Assumptions.assumeTrue(onPath("promtool"), "promtool is not installed (Debian: apt-get install prometheus)");
        promtool("check", "rules", "prometheus-alerts.yml");
        promtool("test", "rules", "prometheus-alerts-test.yml");
        // The dashboard's queries as recording rules, Grafana's variables given values, so promtool parses them.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        JsonNode dashboard = json.readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        int i = 0;
        for (JsonNode panel : panels(dashboard.path("panels"))) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$queue", ".*").replace("$__rate_interval", "5m");
                rules.append("      - record: dashboard:query").append(i++).append("\n        expr: ")
                        .append(json.writeValueAsString(expr)).append('\n');
            }
        }
        Path file = Path.of("target", "dashboard-queries.yml").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, rules);
        promtool("check", "rules", file.toString());
    }

    private static List<JsonNode> panels(JsonNode panels) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : panels) {
            all.add(panel);
            all.addAll(panels(panel.path("panels"))); // a collapsed row holds its panels
        }
        return all;
    }

    private static Set<String> unknown(String expression) {
        Set<String> names = new TreeSet<>(PromQl.metricNames(expression));
        names.removeAll(TaskQMeter.sampleNames());
        return names;
    }

    private static void assertEmitted(String expression) {
        assertFalse(PromQl.metricNames(expression).isEmpty(), "no metric in " + expression);
        assertEquals(Set.of(), unknown(expression), "names TaskQ does not emit (it emits "
                + TaskQMeter.sampleNames() + ") in " + expression);
        assertLabels(PromQl.labelNames(expression), expression);
    }

    private static void assertLabels(Set<String> labels, String expression) {
        Set<String> known = Arrays.stream(TaskQMeter.values()).flatMap(meter -> meter.labels().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        known.addAll(SCRAPE_LABELS);
        assertTrue(known.containsAll(labels), "labels " + labels + " beyond " + known + " in " + expression);
    }

    private static void assertUses(Map<String, String> alerts, String alert, String... metrics) {
        assertTrue(alerts.containsKey(alert), "an alert " + alert + " among " + alerts.keySet());
        assertTrue(PromQl.metricNames(alerts.get(alert)).containsAll(List.of(metrics)), alert + ": " + alerts.get(
                alert));
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    private static void promtool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(MONITORING.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish: " + command);
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
