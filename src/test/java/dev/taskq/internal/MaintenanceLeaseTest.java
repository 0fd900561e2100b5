package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The maintenance lease: one holder at a time, taken over when it lapses or its holder stops. */
class MaintenanceLeaseTest {

    private final QueueHarness h = new QueueHarness();
    private final MaintenanceLease first = new MaintenanceLease(h.tx, "first-" + h.queue);
    private final MaintenanceLease second = new MaintenanceLease(h.tx, "second-" + h.queue);
    private final List<ExecutorService> pools = new java.util.ArrayList<>();

    @BeforeEach
    void freeTheLease() {
        // Other tests' workers may hold it: this test needs it free to begin with.
        h.tx.requiresNew(em -> em.createNativeQuery("delete from taskq_lease").executeUpdate());
    }

    @AfterEach
    void close() throws Exception {
        pools.forEach(ExecutorService::shutdownNow);
        h.close();
    }

    @Test
    void oneNodeHoldsTheLeaseAndAnotherTakesItWhenItIsGivenUp() {
        assertTrue(first.renew(), "a free lease is taken");
        assertTrue(first.isHeld());
        assertFalse(second.renew(), "a held lease is not taken");
        assertFalse(second.isHeld());
        assertTrue(first.renew(), "its holder renews it");

        first.release();
        assertFalse(first.isHeld());
        assertTrue(second.renew(), "a lease given up is taken at the next renewal");
        assertFalse(first.renew());
    }

    @Test
    void aLapsedLeaseIsTakenOverAndItsFormerHolderStopsCountingOnIt() {
        assertTrue(first.renew());
        lapse(); // as when its holder died or lost the database a term ago

        assertTrue(second.renew(), "a lapsed lease is taken");
        assertFalse(first.renew(), "the former holder learns it at its next renewal");
        assertFalse(first.isHeld());
        assertTrue(second.isHeld());
    }

    @Test
    void whenTheWorkerHoldingTheLeaseStopsAnotherNodesWorkerTakesItOver() {
        Worker one = worker("one");
        Await.until(Duration.ofSeconds(10), "the first worker holds the lease", () -> "one".equals(holder()));
        Worker two = worker("two");

        one.stop();
        Await.until(MaintenanceLease.RENEW_EVERY.multipliedBy(3), "the second worker takes the lease over",
                () -> "two".equals(holder()));
        two.stop();
        assertEquals(null, holder(), "a graceful stop gives the lease up");
    }

    private Worker worker(String node) {
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue)
                .with(WorkerSettings.NODE_ID, node);
        Engine engine = Engine.create(h.tx, settings, Clock.systemUTC(), new LedgerHandler(h));
        ExecutorService loops = Executors.newFixedThreadPool(settings.threads());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        pools.add(loops);
        pools.add(scheduler);
        Worker worker = engine.worker(loops, scheduler, null);
        worker.start();
        return worker;
    }

    private String holder() {
        List<?> holders = h.tx.requiresNew(em -> em.createNativeQuery("select holder from taskq_lease where name = "
                + "'maintenance'").getResultList());
        return holders.isEmpty() ? null : (String) holders.get(0);
    }

    private void lapse() {
        h.tx.requiresNew(em -> em.createNativeQuery("update taskq_lease set expires_at = now() - interval '1 second'")
                .executeUpdate());
    }
}
