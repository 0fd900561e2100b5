package dev.taskq.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import dev.taskq.Task;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQ;
import dev.taskq.TaskQueue;
import dev.taskq.TaskQueueException;
import dev.taskq.TaskState;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.internal.cdi.CdiEngine;
import dev.taskq.internal.cdi.CdiTaskAdmin;
import dev.taskq.internal.cdi.CdiTaskQueue;
import dev.taskq.internal.cdi.JtaTransactions;
import dev.taskq.internal.cdi.TaskQClock;
import dev.taskq.internal.cdi.WorkerLifecycle;
import dev.taskq.testing.TaskQTesting;
import dev.taskq.internal.cdi.TaskQExtension;
import dev.taskq.support.JtaDatabase;
import dev.taskq.support.LedgerEntry;
import dev.taskq.support.MutableClock;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TaskQ as CDI beans on JTA (Weld and Narayana in Java SE): {@code @Inject TaskQueue} joins the caller's
 * {@code @Transactional} method, handler beans are found and checked at deployment, and run with their
 * injected dependencies inside the worker's JTA transaction.
 */
class CdiTest {

    /** Arguments that carry their test's queue, so a handler can write its ledger row there. */
    public record Job(String queue, String ref) {
    }

    /** The application's persistence context for TaskQ, as an application with several units declares it. */
    @ApplicationScoped
    public static class Persistence {
        @Produces
        @TaskQ
        @TransactionScoped
        EntityManager entityManager() {
            return JtaDatabase.entityManagerFactory().createEntityManager();
        }

        void close(@Disposes @TaskQ EntityManager entityManager) {
            entityManager.close();
        }
    }

    /** A business service: persists its row and enqueues in one JTA transaction. */
    @ApplicationScoped
    public static class OrderService {
        @Inject
        TaskQueue tasks;
        @Inject
        @TaskQ
        EntityManager entityManager;

        @Transactional
        public long placeOrder(String queue, String ref, boolean paymentFails) {
            entityManager.persist(new LedgerEntry(queue, "order " + ref));
            long id = tasks.enqueue(Confirm.class, new Job(queue, ref), TaskOptions.defaults().withQueue(queue));
            if (paymentFails) {
                throw new IllegalStateException("payment declined");
            }
            return id;
        }
    }

    /** A dependency of the handler, to show injection works in it. */
    @ApplicationScoped
    public static class Wording {
        String confirmation(String ref) {
            return "confirmed " + ref;
        }
    }

    /** A dependent handler: created for each task, destroyed after it. */
    @Dependent
    @TaskName("confirm")
    public static class Confirm implements TaskHandler<Job> {
        static final AtomicInteger DESTROYED = new AtomicInteger();
        @Inject
        Wording wording;
        @Inject
        @TaskQ
        EntityManager entityManager;

        @Override
        public void handle(Job job) {
            entityManager.persist(new LedgerEntry(job.queue(), wording.confirmation(job.ref())));
            if (job.ref().startsWith("fail")) {
                throw new IllegalStateException("mail server down");
            }
        }

        @PreDestroy
        void destroyed() {
            DESTROYED.incrementAndGet();
        }
    }

    @TaskName("confirm")
    @Dependent
    public static class ConfirmToo implements TaskHandler<Job> {
        @Override
        public void handle(Job job) {
        }
    }

    private static WeldContainer container;
    private final String queue = "cdi-" + UUID.randomUUID().toString().substring(0, 8);

    /** The queue of the container's own engine, which the testing helper runs. */
    private static final String HELPER_QUEUE = "cdi-helper-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void deploy() {
        System.setProperty("taskq.worker.queues", HELPER_QUEUE);
        System.setProperty("taskq.testing.enabled", "true"); // read as the container deploys
        try {
            container = weld("taskq-cdi-test", Persistence.class, OrderService.class, Wording.class, Confirm.class)
                    .initialize();
        } finally {
            System.clearProperty("taskq.testing.enabled");
        }
    }

    @AfterAll
    static void undeploy() {
        container.shutdown();
        System.clearProperty("taskq.worker.queues");
    }

    /** A container with TaskQ's own beans, as discovery finds them in a server, and the application's {@code beans}. */
    static Weld weld(String id, Class<?>... beans) {
        return new Weld(id).disableDiscovery().addExtension(new TransactionExtension())
                .addExtension(new TaskQExtension()).addBeanClasses(beans)
                .addBeanClasses(JtaTransactions.class, CdiTaskQueue.class, CdiTaskAdmin.class, WorkerLifecycle.class,
                        TaskQClock.class, TaskQTesting.class, CdiEngine.class);
    }

    @Test
    void aCommittedBusinessTransactionLeavesItsRowAndItsTask() {
        long id = container.select(OrderService.class).get().placeOrder(queue, "42", false);

        assertEquals(List.of("order 42"), ledger());
        assertEquals(List.of(id), tasks().stream().map(Task::getId).toList());
        assertEquals("confirm", tasks().get(0).getName());
    }

    @Test
    void aRolledBackBusinessTransactionLeavesNeither() {
        assertThrows(IllegalStateException.class,
                () -> container.select(OrderService.class).get().placeOrder(queue, "43", true));

        assertEquals(List.of(), ledger());
        assertEquals(List.of(), tasks());
    }

    @Test
    void withoutATransactionEnqueueRunsInItsOwn() {
        long id = container.select(TaskQueue.class).get().enqueue(Confirm.class, new Job(queue, "x"),
                TaskOptions.defaults().withQueue(queue));

        assertEquals(List.of(id), tasks().stream().map(Task::getId).toList());
    }

    @Test
    void aHandlerBeanRunsWithItsDependenciesInTheWorkersTransaction() {
        TaskQueue tasks = container.select(TaskQueue.class).get();
        tasks.enqueue(Confirm.class, new Job(queue, "7"), TaskOptions.defaults().withQueue(queue));
        tasks.enqueue(Confirm.class, new Job(queue, "fail-8"), TaskOptions.defaults().withQueue(queue)
                .withMaxAttempts(1));
        Engine engine = engine();
        int destroyedBefore = Confirm.DESTROYED.get();

        List<Outcome> outcomes = engine.claimer().runOnce().stream().map((ClaimedTask task) -> engine.runner()
                .run(task)).toList();

        assertEquals(List.of(Outcome.SUCCEEDED, Outcome.FAILED), outcomes);
        assertEquals(List.of("confirmed 7"), ledger(), "the failed handler's write was rolled back");
        assertEquals(List.of(TaskState.FAILED), tasks().stream().map(Task::getState).toList());
        assertTrue(tasks().get(0).getLastError().startsWith("java.lang.IllegalStateException: mail server down"));
        assertEquals(destroyedBefore + 2, Confirm.DESTROYED.get(), "each dependent handler instance was destroyed");
    }

    @Test
    void theTestingHelperSeesEnqueuesRunsDueTasksAndMovesTheClock() {
        String queue = HELPER_QUEUE; // the one queue this container's engine claims from
        TaskQTesting testing = container.select(TaskQTesting.class).get();
        testing.reset();
        long id = container.select(OrderService.class).get().placeOrder(queue, "9", false);
        long later = container.select(TaskQueue.class).get().enqueue(Confirm.class, new Job(queue, "10"),
                TaskOptions.defaults().withQueue(queue).withDelay(java.time.Duration.ofHours(1)));

        assertEquals(id, testing.assertEnqueued(Confirm.class, new Job(queue, "9")));
        assertEquals(later, testing.assertEnqueued(Confirm.class, new Job(queue, "10"),
                TaskOptions.defaults().withQueue(queue).withDelay(java.time.Duration.ofHours(1))));
        AssertionError missing = assertThrows(AssertionError.class,
                () -> testing.assertEnqueued(Confirm.class, new Job(queue, "11")));
        assertTrue(missing.getMessage().startsWith("No task 'confirm' with arguments {\"queue\":\"" + queue
                + "\",\"ref\":\"11\"} was enqueued. Enqueued since reset(): [confirm "), missing.getMessage());

        assertEquals(1, testing.runDueTasks());
        assertEquals(List.of("confirmed 9"), ledger(queue).stream().filter(r -> r.startsWith("confirmed")).toList());
        testing.advanceClock(java.time.Duration.ofHours(1));
        assertEquals(1, testing.runDueTasks(), "the delayed task came due");
        assertEquals(List.of("confirmed 10", "confirmed 9"), ledger(queue).stream()
                .filter(r -> r.startsWith("confirmed")).toList());
    }

    @Test
    void twoHandlersWithOneNameFailTheDeployment() {
        Weld broken = weld("taskq-cdi-broken", Persistence.class, Confirm.class, ConfirmToo.class, Wording.class);

        DeploymentException e = assertThrows(DeploymentException.class, broken::initialize);

        assertTrue(e.getMessage().startsWith("TaskQ found invalid task handlers:\n  - task name 'confirm' is used "
                + "by [dev.taskq.cdi.CdiTest$Confirm, dev.taskq.cdi.CdiTest$ConfirmToo]"), e.getMessage());
        assertTrue(e.getCause() instanceof TaskQueueException, String.valueOf(e.getCause()));
    }

    private Engine engine() {
        TaskQExtension extension = container.select(TaskQExtension.class).get();
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, queue);
        return Engine.create(container.select(JtaTransactions.class).get(), extension.handlers(), extension.codec(),
                settings, new MutableClock());
    }

    private List<String> ledger() {
        return ledger(queue);
    }

    private static List<String> ledger(String queue) {
        EntityManager em = JtaDatabase.entityManagerFactory().createEntityManager();
        try {
            return em.createQuery("select e.ref from LedgerEntry e where e.queue = :queue order by e.ref",
                    String.class).setParameter("queue", queue).getResultList();
        } finally {
            em.close();
        }
    }

    private List<Task> tasks() {
        EntityManager em = JtaDatabase.entityManagerFactory().createEntityManager();
        try {
            return em.createQuery("select t from Task t where t.queue = :queue order by t.id", Task.class)
                    .setParameter("queue", queue).getResultList();
        } finally {
            em.close();
        }
    }
}
