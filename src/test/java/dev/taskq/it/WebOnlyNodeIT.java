package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.TaskState;
import dev.taskq.internal.cdi.WorkerLifecycle;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.OrderService;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.it.app.Rows;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A node with {@code taskq.worker.enabled=false} enqueues, and runs no worker. */
@ExtendWith(ArquillianExtension.class)
class WebOnlyNodeIT {

    @Deployment
    static WebArchive deployment() {
        return ItDeployment.war("web-only", ItDeployment.with(ItDeployment.FAST, "taskq.worker.enabled", "false",
                "taskq.worker.queues", "web-only"), OrderService.class, RecordHandler.class, Environment.class,
                Job.class, Rows.class);
    }

    @Inject
    OrderService orders;

    @Inject
    Rows rows;

    @Inject
    WorkerLifecycle lifecycle;

    @Test
    void enqueuesButRunsNoWorker() {
        String ref = UUID.randomUUID().toString().substring(0, 8);
        long id = orders.placeOrder(ref);

        assertTrue(lifecycle.worker().isEmpty(), "no worker on a web-only node");
        assertEquals(TaskState.PENDING, rows.task(id).getState());
        assertEquals(0, rows.task(id).getAttempt());
    }
}
