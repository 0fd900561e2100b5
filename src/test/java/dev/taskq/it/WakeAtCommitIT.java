package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.OrderService;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.it.app.Rows;
import dev.taskq.support.Await;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In the server, an enqueue whose JTA transaction commits wakes this node's idle worker at once (an interposed
 * synchronization after the commit): with a 10-minute poll, the task still runs within seconds.
 */
@ExtendWith(ArquillianExtension.class)
class WakeAtCommitIT {

    @Deployment
    static WebArchive deployment() {
        return ItDeployment.war("wake", ItDeployment.with(ItDeployment.FAST, "taskq.worker.poll-interval", "10m"),
                OrderService.class, RecordHandler.class, Environment.class, Job.class, Rows.class, Await.class);
    }

    @Inject
    OrderService orders;

    @Inject
    Rows rows;

    @Test
    void aCommittedEnqueueRunsAtOnceThoughThePollIsTenMinutesAway() {
        String inCallersTransaction = "wake-" + UUID.randomUUID().toString().substring(0, 8);
        String inItsOwn = "wake-" + UUID.randomUUID().toString().substring(0, 8);

        orders.placeOrder(inCallersTransaction);
        Await.until(Duration.ofSeconds(10), "the task of the caller's transaction ran",
                () -> rows.ledger("ran " + inCallersTransaction + " %").size() == 1);
        orders.enqueueWithoutTransaction(inItsOwn);
        Await.until(Duration.ofSeconds(10), "the task enqueued in a transaction of its own ran",
                () -> rows.ledger("ran " + inItsOwn + " %").size() == 1);

        assertEquals(1, rows.ledger("order " + inCallersTransaction).size());
    }
}
