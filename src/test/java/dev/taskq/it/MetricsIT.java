package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.it.admin.AdminApi;
import dev.taskq.it.admin.AdminApplication;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.support.Await;
import dev.taskq.support.Scrape;
import dev.taskq.support.TestDatabase;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TaskQ's meters as the operator's Prometheus scrapes them from the server, MicroProfile Metrics on Payara Micro's
 * {@code /metrics}, Micrometer on WildFly's Prometheus context (added by {@code src/test/wildfly/observability.cli}),
 * against the admin resource's {@code GET metrics} of the same node: the same sample names, types and labels (those
 * of the shared vocabulary), the same series and the same counts.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class MetricsIT {

    private static final String QUEUE = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String ADMIN = "ops:Ops#2026pass";
    /** What each server adds to every sample: WildFly the deployment, Payara the MicroProfile scope. */
    private static final Set<String> SERVER_LABELS = Set.of(ItDeployment.onPayara() ? "mp_scope" : "WF_DEPLOYMENT");
    /** Payara prints more of a timer than the vocabulary has: quantiles and a mean. No dashboard may rely on them. */
    private static final Predicate<Scrape.Sample> SERVER_EXTRAS = ItDeployment.onPayara()
            ? sample -> sample.labels().containsKey("quantile") || sample.name().endsWith("_seconds_mean")
            : sample -> false;

    /** Not "metrics": Payara serves its own endpoint under that context root. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        // The default dirty threshold: this test counts attempts exactly, and a cold server's first attempt can miss
        // the fast settings' 1 s threshold and be rescued, which adds a lost attempt (seen on Payara).
        WebArchive war = ItDeployment.war("meters", ItDeployment.with(ItDeployment.FAST, "taskq.worker.queues", QUEUE,
                "taskq.worker.dirty-threshold", "30s"), RecordHandler.class, Job.class, Environment.class,
                AdminApi.class, AdminApplication.class);
        war.delete("WEB-INF/web.xml");
        return war.addAsWebInfResource(new StringAsset(ItDeployment.securedWebXml(TestDatabase.get().url())),
                "web.xml");
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theServersMetersAndTheAdminTextShowTheSameVocabularySeriesAndCounts() throws Exception {
        long first = TaskRows.insert(QUEUE, "record", "{\"ref\": \"ok-1\"}", 2);
        long second = TaskRows.insert(QUEUE, "record", "{\"ref\": \"ok-2\"}", 2);
        long failing = TaskRows.insert(QUEUE, "record", "{\"ref\": \"fail-1\"}", 1);
        Await.until(Duration.ofSeconds(30), "both tasks succeeded and one failed",
                () -> TaskRows.state(first) == null && TaskRows.state(second) == null
                        && "FAILED".equals(TaskRows.state(failing)));

        Map<String, String> succeeded = Map.of("queue", QUEUE, "task", "record", "outcome", "succeeded");
        Map<String, String> failed = Map.of("queue", QUEUE, "task", "record", "outcome", "failed");
        Scrape[] last = new Scrape[2];
        // The server's gauges show the stats TaskQ takes every 10 s; the counters count as attempts end.
        try {
            Await.until(Duration.ofSeconds(40), "both scrapes show the failed task and every attempt", () -> {
                last[0] = Scrape.parse(get(serverEndpoint(), null));
                last[1] = Scrape.parse(get(base.toString() + "api/taskq/metrics", ADMIN));
                for (Scrape scrape : last) {
                    if (scrape.value("taskq_tasks", Map.of("queue", QUEUE, "group", "failed")).orElse(0) != 1
                            || scrape.value("taskq_attempts_total", succeeded).orElse(0) != 2
                            || scrape.value("taskq_attempts_total", failed).orElse(0) != 1) {
                        return false;
                    }
                }
                return true;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the last scrapes:\n" + (last[0] == null ? null
                    : last[0].text()) + "\n" + (last[1] == null ? null : last[1].text()), e);
        }
        Scrape server = last[0];
        Scrape admin = last[1];

        assertEquals(Scrape.vocabulary(), server.shapes(SERVER_LABELS, SERVER_EXTRAS), server.text());
        assertEquals(Scrape.vocabulary(), admin.shapes(Set.of(), sample -> false), admin.text());
        assertTrue(server.taskq().stream().allMatch(sample -> sample.labels().keySet().containsAll(SERVER_LABELS)),
                "the server labels every sample with " + SERVER_LABELS + "\n" + server.text());
        assertEquals(ItDeployment.onPayara(), server.taskq().stream().anyMatch(SERVER_EXTRAS), "Payara's extras");
        for (String name : Scrape.vocabulary().keySet()) {
            boolean nodeGauge = name.startsWith("taskq_running") || name.startsWith("taskq_heartbeat");
            Map<String, String> mine = nodeGauge ? Map.of() : Map.of("queue", QUEUE);
            Map<Map<String, String>, Double> serverSeries = server.series(name, mine, SERVER_LABELS);
            Map<Map<String, String>, Double> adminSeries = admin.series(name, mine, Set.of());
            assertEquals(adminSeries.keySet(), serverSeries.keySet(), name + " has the same series in both");
            if (!name.startsWith("taskq_heartbeat")) { // it beats between the two scrapes
                adminSeries.forEach((labels, value) -> assertEquals(value, serverSeries.get(labels), 1e-6,
                        name + labels + " is the same in both\n" + server.text() + "\n" + admin.text()));
            }
        }

        Map<String, String> queueAndTask = Map.of("queue", QUEUE, "task", "record");
        assertEquals(3, server.value("taskq_attempt_duration_seconds_count", queueAndTask).orElseThrow());
        assertEquals(3, server.value("taskq_start_delay_seconds_count", Map.of("queue", QUEUE)).orElseThrow());
        assertEquals(0, server.value("taskq_tasks", Map.of("queue", QUEUE, "group", "pending")).orElseThrow());
        assertEquals(0, server.value("taskq_queue_paused", Map.of("queue", QUEUE)).orElseThrow());
        for (Scrape scrape : last) {
            for (String timer : new String[] {"taskq_attempt_duration", "taskq_start_delay", "taskq_claim_wait"}) {
                Map<String, String> labels = timer.equals("taskq_attempt_duration") ? queueAndTask
                        : Map.of("queue", QUEUE);
                double max = scrape.value(timer + "_seconds_max", labels).orElseThrow();
                double sum = scrape.value(timer + "_seconds_sum", labels).orElseThrow();
                assertTrue(max > 0 && max <= sum && sum < 60, timer + ": in seconds, the longest of three is no "
                        + "more than their sum, but max " + max + ", sum " + sum + "\n" + scrape.text());
            }
            double beat = scrape.value("taskq_heartbeat_timestamp_seconds", Map.of()).orElseThrow();
            double now = System.currentTimeMillis() / 1000.0;
            assertTrue(Math.abs(now - beat) < 5, "the heartbeat is recent, in seconds since the epoch: " + beat);
        }
    }

    private static String serverEndpoint() {
        return ItDeployment.onPayara() ? "http://127.0.0.1:8080/metrics?scope=application"
                : "http://127.0.0.1:9990/prometheus";
    }

    private String get(String uri, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).header("Accept", "text/plain");
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(
                    StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), uri + ": " + response.body());
            return response.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
