package dev.taskq.it.app;

import dev.taskq.support.LedgerEntry;
import dev.taskq.Periodic;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** A periodic task every second, on a queue of its own; it writes a ledger row in the worker's transaction. */
@ApplicationScoped
@TaskName("it-tick")
@Periodic(cron = "* * * * * *", queue = TickHandler.QUEUE)
public class TickHandler implements TaskHandler<Void> {

    public static final String QUEUE = "periodic-it";

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Override
    public void handle(Void args) {
        entityManager.persist(new LedgerEntry(QUEUE, "tick"));
    }
}
