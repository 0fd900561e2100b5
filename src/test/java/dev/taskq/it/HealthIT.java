package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.support.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where the server offers MicroProfile Health, TaskQ's readiness check reports the worker and the database: Payara
 * Micro has it on its HTTP port, WildFly on its management port once the subsystem is added (as the build does
 * with {@code src/test/wildfly/observability.cli}).
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class HealthIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ItDeployment.war("readiness", ItDeployment.with(ItDeployment.FAST, "taskq.worker.queues", "readiness"),
                RecordHandler.class, Job.class, Environment.class);
    }

    @Test
    void readinessIsUpWithTheWorkerRunning() {
        JsonNode[] taskq = new JsonNode[1];
        Await.until(Duration.ofSeconds(30), "TaskQ's check is UP", () -> {
            taskq[0] = check();
            return taskq[0] != null && "UP".equals(taskq[0].get("status").asText());
        });
        assertEquals("running", taskq[0].get("data").get("worker").asText());
    }

    /** @return TaskQ's check in the server's readiness answer, or {@code null} if it has none yet */
    static JsonNode check() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create((ItDeployment.onPayara() ? "http://127.0.0.1:8080" : "http://127.0.0.1:9990")
                            + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() == 200 || response.statusCode() == 503, response.body());
            for (JsonNode check : new ObjectMapper().readTree(response.body()).get("checks")) {
                if (check.get("name").asText().equals("taskq")) {
                    return check;
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
