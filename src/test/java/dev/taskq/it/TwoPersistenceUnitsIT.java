package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.TaskQueue;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.OrdersUnit;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.support.Await;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An application with two persistence units names TaskQ's with a producer, and TaskQ works on it. */
@ExtendWith(ArquillianExtension.class)
class TwoPersistenceUnitsIT {

    @Deployment
    static WebArchive deployment() {
        WebArchive war = ItDeployment.war("two-units", ItDeployment.FAST, RecordHandler.class, Job.class,
                Environment.class, OrdersUnit.class, Await.class);
        return war.addAsResource(new StringAsset(ItDeployment.persistenceXml(ItDeployment.onPayara(), true)),
                "META-INF/persistence.xml");
    }

    @Inject
    TaskQueue tasks;

    @PersistenceContext(unitName = "orders")
    EntityManager orders;

    @Test
    void tasksAreWrittenAndRunThroughTheNamedUnit() {
        String ref = UUID.randomUUID().toString().substring(0, 8);
        long id = tasks.enqueue(RecordHandler.class, new Job(ref));

        Await.until(Duration.ofSeconds(30), "the task ran", () -> orders.find(dev.taskq.Task.class, id) == null);
        assertEquals(1L, orders.createQuery("select count(e) from LedgerEntry e where e.ref like :ref", Long.class)
                .setParameter("ref", "ran " + ref + "%").getSingleResult());
    }
}
