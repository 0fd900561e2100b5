package dev.taskq.it.app;

import dev.taskq.MaxRunning;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** A handler with a limit of its own across the cluster, which the admin must show; writes the job's ledger row. */
@ApplicationScoped
@TaskName("capped")
@MaxRunning(CappedHandler.LIMIT)
public class CappedHandler implements TaskHandler<Job> {

    public static final int LIMIT = 2;

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Override
    public void handle(Job job) {
        entityManager.persist(new LedgerEntry(OrderService.QUEUE, "capped " + job.ref()));
    }
}
