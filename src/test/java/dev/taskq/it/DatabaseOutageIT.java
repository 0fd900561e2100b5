package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.support.Await;
import dev.taskq.support.TestDatabase;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When the application's database goes away, TaskQ's readiness check goes DOWN and says why. The application runs
 * on a database of its own, which the test drops while it runs.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class DatabaseOutageIT {

    private static final String DOOMED_DATABASE = "taskq_it_outage";

    @Deployment(name = "outage", managed = false)
    static WebArchive deployment() {
        return ItDeployment.war("outage", TestDatabase.get().urlOf(DOOMED_DATABASE),
                ItDeployment.with(ItDeployment.FAST, "taskq.worker.queues", "outage", "taskq.schema.migrate", "true",
                        "taskq.schema.datasource", ItDeployment.DATA_SOURCE),
                RecordHandler.class, Job.class, Environment.class);
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void readinessGoesDownWithTheReasonWhenTheDatabaseIsGone() throws Exception {
        TestDatabase database = TestDatabase.get();
        database.recreateDatabase(DOOMED_DATABASE);
        deployer.deploy("outage");
        try {
            JsonNode[] taskq = new JsonNode[1];
            Await.until(Duration.ofSeconds(30), "TaskQ's check is UP", () -> {
                taskq[0] = HealthIT.check();
                return taskq[0] != null && "UP".equals(taskq[0].get("status").asText());
            });

            database.dropDatabase(DOOMED_DATABASE);

            Await.until(Duration.ofSeconds(30), "TaskQ's check is DOWN", () -> {
                taskq[0] = HealthIT.check();
                return taskq[0] != null && "DOWN".equals(taskq[0].get("status").asText());
            });
            String reason = taskq[0].get("data").get("reason").asText();
            assertTrue(reason.startsWith("the database does not answer: "), reason);
        } finally {
            deployer.undeploy("outage");
        }
    }
}
