package dev.taskq.it.app;

import dev.taskq.Retry;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.TaskTimeout;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Work that outlives its one-second transaction: its write must roll back and the attempt fail. Payara looks for
 * timed-out XA transactions only every 10 s, so there the work must last longer for the timeout to be seen.
 */
@ApplicationScoped
@TaskName("too-slow")
@TaskTimeout(1)
@Retry(maxAttempts = 1)
public class TimeoutHandler implements TaskHandler<Job> {

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Override
    public void handle(Job job) {
        entityManager.persist(new LedgerEntry(OrderService.QUEUE, "ran " + job.ref()));
        entityManager.flush();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(onPayara() ? 12_000 : 2_500);
        while (System.nanoTime() < end) { // stands for slow work, such as a slow partner call
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    private static boolean onPayara() {
        try {
            Class.forName("fish.payara.micro.PayaraMicro", false, TimeoutHandler.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
