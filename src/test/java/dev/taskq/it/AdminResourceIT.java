package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.it.admin.AdminApi;
import dev.taskq.it.admin.AdminApplication;
import dev.taskq.it.app.CappedHandler;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.support.Await;
import dev.taskq.support.TestDatabase;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin over HTTP, opted into by the application and behind its authentication: no caller, no data; a
 * caller without the role, no data; the admin role reads and acts, and state changes need the CSRF header.
 * The users come from the server's default realm: add-user.sh for WildFly, asadmin create-file-user for Payara
 * (both run by the build).
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class AdminResourceIT {

    private static final String QUEUE = "admin-" + UUID.randomUUID().toString().substring(0, 8);
    /** The bulk test's own queue, so its failed tasks are not counted by the other tests. */
    private static final String BULK_QUEUE = "bulk-" + UUID.randomUUID().toString().substring(0, 8);

    /** A queue with one loop of its own on the node and a limit across the cluster, as the limits test reads. */
    private static final String LIMITED_QUEUE = "limited-" + UUID.randomUUID().toString().substring(0, 8);

    @Deployment(testable = false)
    static WebArchive deployment() {
        WebArchive war = ItDeployment.war("admin", ItDeployment.with(ItDeployment.FAST,
                "taskq.worker.queues", QUEUE + "," + BULK_QUEUE + "," + LIMITED_QUEUE + ":1",
                "taskq.queue." + LIMITED_QUEUE + ".max-running", "3"),
                AdminApi.class, AdminApplication.class, RecordHandler.class, CappedHandler.class, Job.class,
                Environment.class);
        war.delete("WEB-INF/web.xml");
        return war.addAsWebInfResource(new StringAsset(ItDeployment.securedWebXml(TestDatabase.get().url())),
                "web.xml");
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void withoutACallerThereIsNoData() throws Exception {
        HttpResponse<String> response = send("GET", "api/taskq/stats", null, false);
        assertEquals(401, response.statusCode());
        assertFalse(response.body().contains("queues"));
    }

    @Test
    void aCallerWithoutTheRoleGetsNoData() throws Exception {
        HttpResponse<String> response = send("GET", "api/taskq/stats", "clerk:Clerk#2026pass", false);
        assertEquals(403, response.statusCode());
        assertEquals("The role taskq-admin is needed", json.readTree(response.body()).get("error").asText());
    }

    @Test
    void theAdminSeesAFailedTaskAndRetriesItWithTheCsrfHeader() throws Exception {
        String ref = "fail-<script>alert(1)</script>";
        long id = insertTask(ref);
        Await.until(Duration.ofSeconds(30), "the task failed", () -> "FAILED".equals(state(id)));

        JsonNode failed = json.readTree(send("GET", "api/taskq/tasks?group=failed&queue=" + QUEUE, ADMIN, false)
                .body());
        assertEquals(1, failed.get("total").asLong());
        JsonNode task = failed.get("tasks").get(0);
        assertEquals(id, task.get("id").asLong());
        assertEquals("{\"ref\": \"" + ref + "\"}", task.get("args").asText(), "arguments are data, as text");
        assertTrue(task.get("lastError").asText().startsWith("java.lang.IllegalStateException: partner refused"));

        assertEquals(403, send("POST", "api/taskq/tasks/" + id + "/retry", ADMIN, false).statusCode(),
                "no CSRF header, no change");
        assertEquals("FAILED", state(id));
        assertEquals(204, send("POST", "api/taskq/tasks/" + id + "/retry", ADMIN, true).statusCode());
        Await.until(Duration.ofSeconds(30), "the retried task ran and failed again", () -> "FAILED".equals(state(id))
                && attempt(id) == 3);

        JsonNode stats = json.readTree(send("GET", "api/taskq/stats", ADMIN, false).body());
        JsonNode mine = null;
        for (JsonNode queue : stats.get("queues")) {
            if (queue.get("name").asText().equals(QUEUE)) {
                mine = queue;
            }
        }
        assertEquals(1, mine.get("groups").get("FAILED").asLong());
        String metrics = send("GET", "api/taskq/metrics", ADMIN, false).body();
        assertTrue(metrics.contains("taskq_tasks{queue=\"" + QUEUE + "\",group=\"failed\"} 1"), metrics);
        assertEquals(204, send("DELETE", "api/taskq/tasks/" + id, ADMIN, true).statusCode());
        assertEquals(null, state(id));
    }

    @Test
    void bulkRetryAndDeleteTouchExactlyTheFilteredTasksAndNeedTheRoleAndTheCsrfHeader() throws Exception {
        List<Long> refunds = new ArrayList<>();
        List<Long> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refunds.add(TaskRows.insert(BULK_QUEUE, "record", "{\"ref\": \"fail-refund-" + i + "\"}", 2));
        }
        for (int i = 0; i < 2; i++) {
            others.add(TaskRows.insert(BULK_QUEUE, "record", "{\"ref\": \"fail-other-" + i + "\"}", 2));
        }
        Await.until(Duration.ofSeconds(30), "all five tasks failed", () -> TaskRows.count(
                "queue = ? and state = 'FAILED'", BULK_QUEUE) == 5);

        String refundsOnly = "api/taskq/tasks/retry?group=failed&queue=" + BULK_QUEUE + "&error="
                + URLEncoder.encode("Refused FAIL-REFUND", StandardCharsets.UTF_8);
        assertEquals(401, send("POST", refundsOnly, null, true).statusCode());
        assertEquals(403, send("POST", refundsOnly, "clerk:Clerk#2026pass", true).statusCode());
        assertEquals(403, send("POST", refundsOnly, ADMIN, false).statusCode(), "no CSRF header, no change");
        assertEquals(0, TaskRows.count("queue = ? and max_attempts <> 2", BULK_QUEUE), "nothing was retried");

        long matching = TaskRows.count("queue = ? and state = 'FAILED' and last_error ilike ?", BULK_QUEUE,
                "%partner refused fail-refund%");
        assertEquals(3, matching);
        HttpResponse<String> retried = send("POST", refundsOnly, ADMIN, true);
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals(matching, json.readTree(retried.body()).get("touched").asLong());
        for (long id : refunds) {
            assertEquals(3, TaskRows.column(id, "max_attempts", Integer.class), "a retry gives one more attempt");
        }
        for (long id : others) {
            assertEquals("FAILED", state(id));
            assertEquals(2, attempt(id));
            assertEquals(2, TaskRows.column(id, "max_attempts", Integer.class), "not matched, not retried");
        }
        Await.until(Duration.ofSeconds(30), "the retried tasks ran again and failed", () -> TaskRows.count(
                "queue = ? and state = 'FAILED' and attempt = 3", BULK_QUEUE) == 3);

        String othersOnly = "api/taskq/tasks?group=failed&queue=" + BULK_QUEUE + "&name=record&error=fail-other";
        assertEquals(401, send("DELETE", othersOnly, null, true).statusCode());
        assertEquals(403, send("DELETE", othersOnly, "clerk:Clerk#2026pass", true).statusCode());
        assertEquals(403, send("DELETE", othersOnly, ADMIN, false).statusCode(), "no CSRF header, no change");
        assertEquals(5, TaskRows.count("queue = ?", BULK_QUEUE), "nothing was deleted");
        assertEquals("{\"touched\":0}", send("DELETE", "api/taskq/tasks?group=failed&queue=" + BULK_QUEUE
                + "&name=no-such-task", ADMIN, true).body(), "a filter that matches nothing deletes nothing");

        HttpResponse<String> deleted = send("DELETE", othersOnly, ADMIN, true);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(2, json.readTree(deleted.body()).get("touched").asLong());
        for (long id : others) {
            assertEquals(null, state(id));
        }
        for (long id : refunds) {
            assertEquals("FAILED", state(id), "not matched, not deleted");
        }

        HttpResponse<String> notRetryable = send("POST", "api/taskq/tasks/retry?group=succeeded", ADMIN, true);
        assertEquals(400, notRetryable.statusCode());
        assertTrue(notRetryable.body().contains("Only FAILED, CANCELLED and DIRTY tasks can be retried"),
                notRetryable.body());
        assertEquals(3, json.readTree(send("DELETE", "api/taskq/tasks?group=failed&queue=" + BULK_QUEUE, ADMIN, true)
                .body()).get("touched").asLong());
        assertEquals(0, TaskRows.count("queue = ?", BULK_QUEUE));
    }

    /** A queue no worker of the deployment claims: its task waits for the person who cancels it. */
    @Test
    void theAdminCancelsAWaitingTaskAsTheSignedInUserAndItIsKeptCancelled() throws Exception {
        String idleQueue = "idle-" + UUID.randomUUID().toString().substring(0, 8);
        long id = TaskRows.insert(idleQueue, "record", "{\"ref\": \"never\"}", 2);

        assertEquals(403, send("POST", "api/taskq/tasks/" + id + "/cancel", ADMIN, false).statusCode(),
                "no CSRF header, no change");
        assertEquals(403, send("POST", "api/taskq/tasks/" + id + "/cancel", "clerk:Clerk#2026pass", true)
                .statusCode());
        assertEquals("PENDING", state(id));
        assertEquals(204, send("POST", "api/taskq/tasks/" + id + "/cancel", ADMIN, true).statusCode());

        JsonNode cancelled = json.readTree(send("GET", "api/taskq/tasks?group=cancelled&queue=" + idleQueue, ADMIN,
                false).body());
        assertEquals(1, cancelled.get("total").asLong());
        JsonNode task = cancelled.get("tasks").get(0);
        assertEquals("CANCELLED", task.get("state").asText());
        assertEquals("ops", task.get("cancelledBy").asText(), "the signed-in user");
        assertFalse(task.get("cancelledAt").isNull());
        String cancelledHere = "api/taskq/tasks?group=cancelled&queue=" + idleQueue;
        assertEquals(1, json.readTree(send("GET", cancelledHere + "&args=NEVER", ADMIN, false).body())
                .get("total").asLong(), "text in the arguments, whatever its case");
        assertEquals(0, json.readTree(send("GET", cancelledHere + "&args=always", ADMIN, false).body())
                .get("total").asLong());
        assertEquals(1, json.readTree(send("GET", cancelledHere + "&from=2020-01-01T00:00:00Z", ADMIN, false)
                .body()).get("total").asLong());
        assertEquals(0, json.readTree(send("GET", cancelledHere + "&to=2020-01-01T00:00:00Z", ADMIN, false)
                .body()).get("total").asLong());
        HttpResponse<String> badDate = send("GET", cancelledHere + "&from=yesterday", ADMIN, false);
        assertEquals(400, badDate.statusCode());
        assertTrue(badDate.body().contains("needs an ISO-8601 instant such as 2026-12-07T15:00:00Z"), badDate.body());
        boolean named = false;
        for (JsonNode name : json.readTree(send("GET", "api/taskq/names", ADMIN, false).body())) {
            named |= name.get("name").asText().equals("record") && name.get("groups").get("CANCELLED").asLong() >= 1;
        }
        assertTrue(named, "the counts by task name list the cancelled record task");

        HttpResponse<String> again = send("POST", "api/taskq/tasks/" + id + "/cancel", ADMIN, true);
        assertEquals(409, again.statusCode());
        assertTrue(again.body().contains("has finished or does not exist"), again.body());

        assertEquals(204, send("POST", "api/taskq/tasks/" + id + "/retry", ADMIN, true).statusCode());
        assertEquals("PENDING", state(id));
        assertEquals(null, TaskRows.column(id, "cancelled_by", String.class));
        assertEquals(204, send("DELETE", "api/taskq/tasks/" + id, ADMIN, true).statusCode());
    }

    @Test
    void theAdminReadsTheLimitsOnRunningTasksAsTheNodeIsConfigured() throws Exception {
        assertEquals(403, send("GET", "api/taskq/limits", "clerk:Clerk#2026pass", false).statusCode());

        JsonNode limits = json.readTree(send("GET", "api/taskq/limits", ADMIN, false).body());
        assertEquals(3, limits.path("byQueue").path(LIMITED_QUEUE).asInt(), limits.toString());
        assertEquals(1, limits.path("nodeLoops").path(LIMITED_QUEUE).asInt(), limits.toString());
        assertEquals(CappedHandler.LIMIT, limits.path("byName").path("capped").asInt(), limits.toString());
        assertFalse(limits.path("byQueue").has(QUEUE), "a queue without a limit has none: " + limits);
        assertFalse(limits.path("byName").has("record"), "a handler without @MaxRunning has none: " + limits);
    }

    @Test
    void thePageIsServedFromTheJarToTheAdminOnlyAndAllowsNoForeignScript() throws Exception {
        assertEquals(401, send("GET", "api/taskq/", null, false).statusCode());
        assertEquals(403, send("GET", "api/taskq/page/admin.js", "clerk:Clerk#2026pass", false).statusCode());

        HttpResponse<String> page = send("GET", "api/taskq", ADMIN, false);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("<base href=\"" + base.getPath() + "api/taskq/\">"), page.body());
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(policy.contains("script-src 'self'") && policy.contains("default-src 'none'"), policy);

        HttpResponse<String> script = send("GET", "api/taskq/page/admin.js", ADMIN, false);
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        assertTrue(script.body().contains("X-TaskQ-CSRF"), "the page's calls carry the CSRF header");
        assertEquals(200, send("GET", "api/taskq/page/admin.css", ADMIN, false).statusCode());
        assertEquals(404, send("GET", "api/taskq/page/index.html", ADMIN, false).statusCode());
    }

    private static final String ADMIN = "ops:Ops#2026pass";

    private HttpResponse<String> send(String method, String path, String user, boolean csrf) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.toURI().resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    user.getBytes(StandardCharsets.UTF_8)));
        }
        if (csrf) {
            request.header("X-TaskQ-CSRF", "1");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long insertTask(String ref) throws Exception {
        return TaskRows.insert(QUEUE, "record", new ObjectMapper().writeValueAsString(java.util.Map.of("ref", ref)),
                2);
    }

    private static String state(long id) {
        return TaskRows.state(id);
    }

    private static int attempt(long id) {
        return TaskRows.column(id, "attempt", Integer.class);
    }
}
