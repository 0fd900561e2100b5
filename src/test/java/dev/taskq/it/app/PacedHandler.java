package dev.taskq.it.app;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Works for 100 ms, then writes the job's ledger row in the task's transaction: long enough to overlap. */
@ApplicationScoped
@TaskName("paced")
public class PacedHandler implements TaskHandler<Job> {

    public static final String QUEUE = "limited-it";

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Override
    public void handle(Job job) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        entityManager.persist(new LedgerEntry(QUEUE, "paced " + job.ref()));
    }
}
