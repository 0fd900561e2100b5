package dev.taskq.it.app;

import dev.taskq.TaskContext;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Writes a ledger row in its transaction, then blocks for up to a minute in an interruptible wait, until a person
 * cancels its task; notes what its {@link TaskContext} said then, for the test to read.
 */
@ApplicationScoped
@TaskName("it-cancellable")
public class CancellableHandler implements TaskHandler<Job> {

    private static final Map<Long, CountDownLatch> STARTED = new ConcurrentHashMap<>();
    private static final Map<Long, Boolean> SAW_CANCELLATION = new ConcurrentHashMap<>();

    @Inject
    TaskContext context;

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Override
    public void handle(Job job) throws InterruptedException {
        entityManager.persist(new LedgerEntry(context.queue(), "cancellable " + job.ref()));
        long id = context.id();
        started(id).countDown();
        try {
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        } finally {
            SAW_CANCELLATION.put(id, context.cancelRequested());
        }
    }

    /** @return whether task {@code id}'s handler began within {@code seconds} */
    public static boolean awaitStart(long id, long seconds) throws InterruptedException {
        return started(id).await(seconds, TimeUnit.SECONDS);
    }

    /** @return what the handler of task {@code id} read from its context when its wait ended; null before that */
    public static Boolean sawCancellation(long id) {
        return SAW_CANCELLATION.get(id);
    }

    private static CountDownLatch started(long id) {
        return STARTED.computeIfAbsent(id, key -> new CountDownLatch(1));
    }
}
