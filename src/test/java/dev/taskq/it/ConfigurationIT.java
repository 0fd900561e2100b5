package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.internal.cdi.CdiEngine;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.OrderService;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.it.app.Rows;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where settings come from in the server: the application's {@code META-INF/microprofile-config.properties},
 * read through the server's MicroProfile Config (stock WildFly and Payara both have it), and for the keys it lacks,
 * the fallback file {@code META-INF/taskq.properties}.
 */
@ExtendWith(ArquillianExtension.class)
class ConfigurationIT {

    @Deployment
    static WebArchive deployment() {
        WebArchive war = ItDeployment.war("configuration", ItDeployment.with(ItDeployment.FAST,
                "taskq.worker.queues", "configuration", "taskq.worker.node-id", "from-microprofile-config",
                "taskq.worker.threads", "3", "taskq.admin.role", "queue-operators"), OrderService.class, RecordHandler.class, Environment.class, Job.class, Rows.class);
        return war.addAsResource(new StringAsset("""
                taskq.worker.threads=1
                taskq.retention.succeeded=1h
                """), "META-INF/taskq.properties");
    }

    @Inject
    CdiEngine engine;

    @Test
    void microProfileConfigIsReadAndTheFallbackFileFillsInWhatItLacks() {
        assertEquals("from-microprofile-config", engine.settings().nodeId());
        assertEquals(3, engine.settings().threads(), "MicroProfile Config wins over the fallback file");
        assertEquals("queue-operators", engine.server().adminRole());
        assertEquals(Duration.ofHours(1), engine.settings().succeededRetention(), "from the fallback file");
    }
}
