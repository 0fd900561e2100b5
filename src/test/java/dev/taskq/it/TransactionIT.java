package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.Task;
import dev.taskq.TaskState;
import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.OrderBean;
import dev.taskq.it.app.OrderService;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.it.app.Rows;
import dev.taskq.it.app.TimeoutHandler;
import dev.taskq.TaskAdmin;
import dev.taskq.TaskQueue;
import dev.taskq.support.Await;
import dev.taskq.internal.cdi.JtaTransactions;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In the server: enqueue joins the caller's JTA transaction, and the worker runs handler beans on managed
 * threads, atomically with their completion.
 */
@ExtendWith(ArquillianExtension.class)
class TransactionIT {

    @Deployment
    static WebArchive deployment() {
        return ItDeployment.war("transactions", ItDeployment.FAST, OrderService.class, RecordHandler.class,
                Environment.class, Job.class, Rows.class, Await.class, TimeoutHandler.class, OrderBean.class);
    }

    @Inject
    OrderService orders;

    @Inject
    Rows rows;

    @Inject
    TaskQueue tasks;

    @jakarta.ejb.EJB
    OrderBean orderBean;

    @Inject
    TaskAdmin admin;

    @Inject
    JtaTransactions transactions;

    @Resource
    ManagedExecutorService executor;

    private final String ref = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aCommittedOrderHasItsTaskWhichRunsOnAManagedThreadInTheApplicationsContext() {
        long id = orders.placeOrder(ref);

        assertEquals(List.of("order " + ref), rows.ledger("order " + ref));
        Await.until(Duration.ofSeconds(30), "the task ran", () -> rows.task(id) == null);
        List<String> ran = rows.ledger("ran " + ref + "%");
        assertEquals(1, ran.size(), ran.toString());
        assertTrue(ran.get(0).endsWith("appClassLoader=true jndi=true"), ran.get(0));
    }

    @Test
    void anExceptionRollsBackTheOrderAndItsTask() {
        assertThrows(IllegalStateException.class, () -> orders.placeOrderThenFail(ref));

        assertEquals(List.of(), rows.ledger("order " + ref));
        assertEquals(List.of(), rows.tasksFor(ref));
    }

    @Test
    void setRollbackOnlyRollsBackTheOrderAndItsTask() {
        orders.placeOrderThenSetRollbackOnly(ref); // the interceptor rolls back quietly

        assertEquals(List.of(), rows.ledger("order " + ref));
        assertEquals(List.of(), rows.tasksFor(ref));
    }

    @Test
    void anEjbsContainerManagedTransactionCarriesTheEnqueueToo() {
        long id = orderBean.placeOrder(ref, false);
        assertEquals(List.of("order " + ref), rows.ledger("order " + ref));
        Await.until(Duration.ofSeconds(30), "the task ran", () -> rows.task(id) == null);

        String rolledBack = ref + "-rolled-back";
        orderBean.placeOrder(rolledBack, true);
        assertEquals(List.of(), rows.ledger("order " + rolledBack));
        assertEquals(List.of(), rows.tasksFor(rolledBack));
    }

    @Test
    void withoutATransactionTheEnqueueCommitsOnItsOwn() {
        long id = orders.enqueueWithoutTransaction(ref);

        Await.until(Duration.ofSeconds(30), "the task ran", () -> rows.task(id) == null);
        assertEquals(1, rows.ledger("ran " + ref + "%").size());
    }

    @Test
    void aHandlerThatOutlivesItsTaskTimeoutIsRolledBackAndFails() {
        long id = tasks.enqueue(TimeoutHandler.class, new Job(ref));

        Await.until(Duration.ofSeconds(30), "the task failed", () -> rows.task(id).getState() == TaskState.FAILED);
        assertTrue(rows.task(id).getLastError().startsWith("java.lang.IllegalStateException: The transaction ran longer than its timeout of 1 s (@TaskTimeout) and was rolled back"),
                rows.task(id).getLastError());
        assertEquals(List.of(), rows.ledger("ran " + ref), "its write was rolled back");
    }

    /**
     * Payara's {@code @Transactional} interceptors keep a call's saved state in a field that all threads calling one
     * bean share. When TaskQ demarcated with them, a call from inside an application transaction, made while a
     * worker thread was inside TaskQ's own, left the worker thread marked as inside a transactional method: its
     * next {@code UserTransaction} call failed with "Operation not allowed" (a task with @TaskTimeout failed so).
     */
    @Test
    void taskqsTransactionsOnOneThreadNeverTieAnotherThreadsUseOfUserTransaction() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> worker = executor.submit(() -> {
            transactions.requiresNew(em -> {
                inside.countDown();
                Await.until(Duration.ofSeconds(30), "the other thread's call", () -> release.getCount() == 0);
                return null;
            });
            UserTransaction next = (UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
            next.begin(); // what a NOT_SUPPORTED handler, or TaskQ's @TaskTimeout, does next on this thread
            int status = next.getStatus();
            next.rollback();
            return status;
        });
        assertTrue(inside.await(30, TimeUnit.SECONDS), "the worker thread entered its transaction");

        orders.inTransaction(() -> transactions.requiresNew(em -> em.createNativeQuery("select 1").getSingleResult()));
        release.countDown();

        assertEquals(Status.STATUS_ACTIVE, worker.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aFailingHandlersWritesRollBackAndTheTaskRetriesThenFails() {
        String failing = "fail-" + ref;
        long id = orders.enqueueWithoutTransaction(failing);

        Await.until(Duration.ofSeconds(30), "the task failed for good",
                () -> rows.task(id).getState() == TaskState.FAILED);
        Task failed = rows.task(id);
        assertEquals(2, failed.getAttempt());
        assertTrue(failed.getLastError().startsWith("java.lang.IllegalStateException: partner refused " + failing),
                failed.getLastError());
        assertEquals(List.of(), rows.ledger("ran " + failing + "%"), "both attempts' writes were rolled back");

        // A person retries it from the admin: it runs once more, and fails again.
        assertTrue(admin.retry(id));
        Await.until(Duration.ofSeconds(30), "the retried task failed again",
                () -> rows.task(id).getState() == TaskState.FAILED && rows.task(id).getAttempt() == 3);
    }
}
