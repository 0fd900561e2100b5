package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.support.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TaskQ's meters as the operator's Prometheus scrapes them from the server: MicroProfile Metrics on Payara Micro's
 * {@code /metrics}, Micrometer on WildFly's Prometheus context (added by {@code src/test/wildfly/observability.cli}).
 * The same names and tags on both.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class MetricsIT {

    private static final String QUEUE = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Not "metrics": Payara serves its own endpoint under that context root. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return ItDeployment.war("meters", ItDeployment.with(ItDeployment.FAST, "taskq.worker.queues", QUEUE),
                RecordHandler.class, Job.class, Environment.class);
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void attemptsAndQueueDepthAreScrapedWithTheirQueueTaskAndOutcome() {
        long first = TaskRows.insert(QUEUE, "record", "{\"ref\": \"ok-1\"}", 2);
        long second = TaskRows.insert(QUEUE, "record", "{\"ref\": \"ok-2\"}", 2);
        long failing = TaskRows.insert(QUEUE, "record", "{\"ref\": \"fail-1\"}", 1);
        Await.until(Duration.ofSeconds(30), "both tasks succeeded and one failed",
                () -> TaskRows.state(first) == null && TaskRows.state(second) == null
                        && "FAILED".equals(TaskRows.state(failing)));

        Map<String, String> succeeded = Map.of("queue", QUEUE, "task", "record", "outcome", "succeeded");
        Map<String, String> failed = Map.of("queue", QUEUE, "task", "record", "outcome", "failed");
        Map<String, String> failedGroup = Map.of("queue", QUEUE, "group", "failed");
        String[] body = new String[1];
        // The gauges show the stats TaskQ takes every 10 s; the counters count as attempts end.
        try {
            Await.until(Duration.ofSeconds(40), "the scrape shows the failed task", () -> {
                body[0] = scrape();
                return sample(body[0], "taskq_tasks", failedGroup).orElse(0) == 1;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the last scrape:\n" + body[0], e);
        }

        assertEquals(2, sample(body[0], "taskq_attempts_total", succeeded).orElseThrow(), body[0]);
        assertEquals(1, sample(body[0], "taskq_attempts_total", failed).orElseThrow(), body[0]);
        assertEquals(3, sample(body[0], "taskq_attempt_duration_seconds_count", Map.of("queue", QUEUE, "task",
                "record")).orElseThrow(), body[0]);
        assertEquals(3, sample(body[0], "taskq_start_delay_seconds_count", Map.of("queue", QUEUE)).orElseThrow(),
                body[0]);
        assertEquals(0, sample(body[0], "taskq_tasks", Map.of("queue", QUEUE, "group", "pending")).orElseThrow(),
                body[0]);
        assertEquals(0, sample(body[0], "taskq_queue_paused", Map.of("queue", QUEUE)).orElseThrow(), body[0]);
    }

    private String scrape() {
        URI uri = URI.create(ItDeployment.onPayara() ? "http://127.0.0.1:8080/metrics?scope=application"
                : "http://127.0.0.1:9990/prometheus");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Accept", "text/plain")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the value of the sample named {@code name} whose labels include {@code labels}, if there is one */
    private static OptionalDouble sample(String body, String name, Map<String, String> labels) {
        for (String line : body.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                found.put(label.group(1), label.group(2));
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                return OptionalDouble.of(Double.parseDouble(sample.group(3)));
            }
        }
        return OptionalDouble.empty();
    }
}
