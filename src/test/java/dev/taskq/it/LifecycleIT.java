package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.it.app.Job;
import dev.taskq.it.app.OrderService;
import dev.taskq.it.app.SlowHandler;
import dev.taskq.support.Await;
import dev.taskq.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker's life in the server, seen from outside as an operator sees it (the database): heartbeats while a
 * task runs, a graceful stop on undeploy, and a redeploy that picks up what a stop left behind.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class LifecycleIT {

    private static final String QUEUE = "lifecycle";
    private static final String PATIENT = "lifecycle-patient";
    private static final String HASTY = "lifecycle-hasty";

    @Deployment(name = PATIENT, managed = false)
    static WebArchive patient() {
        return app(PATIENT, "10s");
    }

    @Deployment(name = HASTY, managed = false)
    static WebArchive hasty() {
        return app(HASTY, "1s");
    }

    private static WebArchive app(String name, String grace) {
        Map<String, String> settings = ItDeployment.with(ItDeployment.FAST, "taskq.worker.queues", QUEUE,
                "taskq.worker.shutdown-grace", grace);
        return ItDeployment.war(name, settings, SlowHandler.class, Job.class, OrderService.class,
                dev.taskq.it.app.RecordHandler.class, dev.taskq.it.app.Environment.class);
    }

    @ArquillianResource
    Deployer deployer;

    private final String ref = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void heartbeatsMoveAliveAtWhileATaskRuns() throws Exception {
        deployer.deploy(PATIENT);
        try {
            long id = insertSlowTask();
            Await.until(Duration.ofSeconds(30), "the task is running", () -> "RUNNING".equals(state(id)));
            Timestamp first = aliveAt(id);
            Await.until(Duration.ofSeconds(10), "a heartbeat", () -> aliveAt(id).after(first));
            Timestamp second = aliveAt(id);
            Await.until(Duration.ofSeconds(10), "another heartbeat", () -> aliveAt(id).after(second));

            release();
            Await.until(Duration.ofSeconds(30), "the task is done", () -> state(id) == null);
            assertEquals(List.of("finished " + ref), ledger("finished " + ref));
        } finally {
            deployer.undeploy(PATIENT);
        }
    }

    @Test
    void undeployLetsTheRunningTaskFinishWithinTheGracePeriod() throws Exception {
        deployer.deploy(PATIENT);
        long id = insertSlowTask();
        Await.until(Duration.ofSeconds(30), "the task is running", () -> "RUNNING".equals(state(id)));

        // The work ends half a second into the undeploy, well within the 10 s grace period.
        CompletableFuture<Void> release = CompletableFuture.runAsync(this::releaseUnchecked,
                CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
        deployer.undeploy(PATIENT);
        release.get(10, TimeUnit.SECONDS);

        // WildFly undeploys synchronously; Payara Micro's adapter stops the whole server, which the test only
        // sees end in the database.
        Await.until(Duration.ofSeconds(30), "the task finished as the application stopped", () -> state(id) == null);
        assertEquals(List.of("finished " + ref), ledger("finished " + ref));
    }

    @Test
    void undeployPastTheGraceLeavesTheTaskForTheDirtyPolicyAndARedeployFinishesIt() throws Exception {
        deployer.deploy(HASTY);
        long id = insertSlowTask();
        Await.until(Duration.ofSeconds(30), "the task is running", () -> "RUNNING".equals(state(id)));

        deployer.undeploy(HASTY);
        assertEquals("RUNNING", state(id), "interrupted after the grace period, left for the dirty policy");
        assertEquals(List.of(), ledger("finished " + ref));

        release();
        deployer.deploy(HASTY);
        try {
            Await.until(Duration.ofSeconds(30), "the redeployed worker finished the task", () -> state(id) == null);
            assertEquals(List.of("finished " + ref), ledger("finished " + ref), "it ran to completion once");
        } finally {
            deployer.undeploy(HASTY);
        }
    }

    private long insertSlowTask() {
        return TaskRows.insert(QUEUE, "slow", "{\"ref\": \"" + ref + "\"}", 3);
    }

    private void release() throws SQLException {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement insert = connection
                .prepareStatement("insert into test_ledger (queue, ref) values (?, ?)")) {
            insert.setString(1, QUEUE);
            insert.setString(2, "release " + ref);
            insert.executeUpdate();
        }
    }

    private void releaseUnchecked() {
        try {
            release();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String state(long id) {
        return TaskRows.state(id);
    }

    private static Timestamp aliveAt(long id) {
        return TaskRows.column(id, "alive_at", Timestamp.class);
    }

    private static List<String> ledger(String ref) {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement select = connection
                .prepareStatement("select ref from test_ledger where ref = ?")) {
            select.setString(1, ref);
            try (ResultSet rows = select.executeQuery()) {
                List<String> refs = new java.util.ArrayList<>();
                while (rows.next()) {
                    refs.add(rows.getString(1));
                }
                return refs;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

}
