package dev.taskq.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskq.TaskAdmin;
import dev.taskq.testing.TaskQTesting;
import jakarta.inject.Inject;
import java.io.File;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How an application tests its own use of TaskQ with {@link TaskQTesting}: which tasks a business method
 * enqueues, and what they do when run, without a worker in the way.
 */
@ExtendWith(ArquillianExtension.class)
class ShopTasksIT {

    /**
     * The shop as built, opted into TaskQ's test helper (the one line {@code taskq.testing.enabled=true}) and with
     * its worker off: this test runs the tasks itself, of the shop's two queues.
     */
    @Deployment
    static WebArchive shop() {
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("shop.war")));
        war.delete("WEB-INF/classes/META-INF/microprofile-config.properties");
        return war.addAsResource(new StringAsset("""
                taskq.testing.enabled=true
                taskq.worker.enabled=false
                taskq.worker.queues=default,mail
                """), "META-INF/microprofile-config.properties");
    }

    @Inject
    Shop shop;

    @Inject
    TaskQTesting taskq;

    @Inject
    TaskAdmin admin;

    @BeforeEach
    void forgetEarlierTasks() {
        taskq.reset();
    }

    @Test
    void anOrderEnqueuesItsConfirmationAndItsReservation() {
        shop.restock("teapot", 10);
        long id = shop.placeOrder("ada@example.com", "teapot", 2).getId();

        taskq.assertEnqueued(SendConfirmation.class, new OrderRef(id));
        taskq.assertEnqueued(ReserveStock.class, new OrderRef(id));
        taskq.runDueTasks(); // all due tasks of the database, this order's two among them

        Order order = shop.find(id);
        assertNotNull(order.getConfirmationSentAt());
        assertNotNull(order.getStockReservedAt());
    }

    @Test
    void aRejectedOrderEnqueuesNothing() {
        assertThrows(IllegalArgumentException.class, () -> shop.placeOrder("eve@example.com", "kettle", 0));

        assertEquals(List.of(), taskq.enqueuedIds());
    }

    @Test
    void aReservationThatFailsIsRetriedAfterItsBackOff() {
        shop.restock("anvil", 100);
        long id = shop.placeOrder("bob@example.com", "anvil", 500).getId();
        long reservation = taskq.assertEnqueued(ReserveStock.class, new OrderRef(id));

        taskq.runDueTasks();
        assertEquals(1, admin.find(reservation).orElseThrow().getAttempt(), "failed once, waiting for its back-off");
        taskq.advanceClock(java.time.Duration.ofSeconds(5));
        taskq.runDueTasks();
        assertEquals(2, admin.find(reservation).orElseThrow().getAttempt(), "retried once the back-off had passed");
        assertEquals(null, shop.find(id).getStockReservedAt());
    }
}
