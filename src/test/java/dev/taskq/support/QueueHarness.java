package dev.taskq.support;

import dev.taskq.Task;
import dev.taskq.TaskHandler;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import dev.taskq.TaskState;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.TaskRunner;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One test's TaskQ in Java SE: a queue of its own (so tests never see each other's tasks), an injected clock,
 * resource-local transactions on the test database, and helpers to look at the rows.
 */
public final class QueueHarness implements AutoCloseable {

    public final String queue = "t-" + UUID.randomUUID().toString().substring(0, 8);
    public final MutableClock clock = new MutableClock();
    public final LocalTransactions tx = new LocalTransactions(TestDatabase.get().entityManagerFactory());
    private Engine engine;
    private WorkerSettings settings;
    private Worker worker;
    private ExecutorService loops;
    private ScheduledExecutorService scheduler;
    private final List<Runnable> otherNodes = new java.util.ArrayList<>();

    /** Builds the engine with default settings on this harness's queue. */
    public Engine start(TaskHandler<?>... handlers) {
        return startWith(UnaryOperator.identity(), handlers);
    }

    /** Builds the engine with adjusted settings on this harness's queue. */
    public Engine startWith(UnaryOperator<WorkerSettings> adjust, TaskHandler<?>... handlers) {
        settings = adjust.apply(WorkerSettings.defaults()
                .with(WorkerSettings.QUEUES, queue)
                .with(WorkerSettings.POLL_INTERVAL, "50ms")
                .with(WorkerSettings.NODE_ID, "node-" + queue));
        engine = Engine.create(tx, settings, clock, handlers);
        return engine;
    }

    public Engine engine() {
        return engine;
    }

    public TaskQueue tasks() {
        return engine.queue();
    }

    public TaskOptions options() {
        return TaskOptions.defaults().withQueue(queue);
    }

    /**
     * Starts another node of the cluster in this JVM: an engine of its own on the same database, its worker on pools
     * of its own, stopped by {@link #close()}.
     */
    public Worker startNode(WorkerSettings nodeSettings, TaskHandler<?>... handlers) {
        Engine node = Engine.create(tx, nodeSettings, java.time.Clock.systemUTC(), handlers);
        ExecutorService nodeLoops = Executors.newFixedThreadPool(nodeSettings.allLoops());
        ScheduledExecutorService nodeScheduler = Executors.newSingleThreadScheduledExecutor();
        Worker nodeWorker = node.worker(nodeLoops, nodeScheduler);
        otherNodes.add(() -> {
            nodeWorker.stop();
            nodeLoops.shutdownNow();
            nodeScheduler.shutdownNow();
        });
        nodeWorker.start();
        return nodeWorker;
    }

    /** @return the one task due now, claimed by this harness's engine; fails unless exactly one was due */
    public ClaimedTask claimOne() {
        List<ClaimedTask> claimed = engine.claimer().runOnce();
        org.junit.jupiter.api.Assertions.assertEquals(1, claimed.size(), "one task due");
        return claimed.get(0);
    }

    /** @return how the attempt of {@link #claimOne()}'s task ended, run on this thread */
    public TaskRunner.Outcome runOne() {
        return engine.runner().run(claimOne());
    }

    /** Starts a worker on thread pools of its own. */
    public Worker startWorker() {
        loops = Executors.newFixedThreadPool(settings.allLoops());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        worker = engine.worker(loops, scheduler);
        worker.start();
        return worker;
    }

    public EntityManager em() {
        return tx.currentEntityManager();
    }

    public List<Task> rows() {
        return tx.requiresNew(em -> em.createQuery("select t from Task t where t.queue = :queue order by t.id",
                Task.class).setParameter("queue", queue).getResultList());
    }

    public Task row(long id) {
        return tx.requiresNew(em -> em.find(Task.class, id));
    }

    public long count(TaskState state) {
        return rows().stream().filter(task -> task.getState() == state).count();
    }

    /** @return how many tasks of this queue exist, whatever their state */
    public long remaining() {
        return tx.requiresNew(em -> em.createQuery("select count(t) from Task t where t.queue = :queue", Long.class)
                .setParameter("queue", queue).getSingleResult());
    }

    public List<String> ledger() {
        return tx.requiresNew(em -> em.createQuery("select e.ref from LedgerEntry e where e.queue = :queue "
                + "order by e.ref", String.class).setParameter("queue", queue).getResultList());
    }

    /**
     * Inserts a due PENDING row as written by another version of the application (or by hand), bypassing
     * enqueue's checks.
     *
     * @param args the row's arguments as JSON, or null
     * @return its id
     */
    public long insertRow(String name, String args) {
        return tx.requiresNew(em -> ((Number) em.createNativeQuery("""
                        insert into taskq_task (id, queue, name, args, state, eta, max_attempts, created_at)
                        values (nextval('taskq_task_seq'), :queue, :name, cast(:args as jsonb), 'PENDING', :now, 3,
                                :now)
                        returning id""")
                .setParameter("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .setParameter("queue", queue).setParameter("name", name).setParameter("args", args)
                .getSingleResult()).longValue());
    }

    /** Writes a ledger entry in the transaction running on this thread. */
    public void writeLedger(String ref) {
        em().persist(new LedgerEntry(queue, ref));
    }

    @Override
    public void close() throws InterruptedException {
        otherNodes.forEach(Runnable::run);
        if (worker != null) {
            worker.stop();
            loops.shutdownNow();
            scheduler.shutdownNow();
            loops.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
