package dev.taskq.internal.cdi;

import dev.taskq.TaskQueueException;
import dev.taskq.internal.DepthSampler;
import dev.taskq.internal.SchemaMigration;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.internal.metrics.WorkerGauges;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Starts TaskQ with the application and stops it with the application: applies the schema if asked to, checks
 * the JPA provider, publishes TaskQ's meters where the server has a metrics library, samples the queue's depth
 * for the admin page, then starts this node's worker on the server's managed executors. Undeploying or shutting
 * the server down stops the worker gracefully.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private static final System.Logger LOG = System.getLogger(WorkerLifecycle.class.getName());
    private static final String DEFAULT_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";

    @Inject
    CdiEngine engine;

    @Inject
    JtaTransactions transactions;

    private Worker worker;
    private WorkerGauges workerGauges;
    private ExecutorService ownLoopPool;
    private MetricsPublisher metrics;
    private ScheduledFuture<?> depthSampling;

    /** Called by {@link WebApplicationListener} when the web application starts; a failure fails the deployment. */
    public void start() {
        ServerSettings server = engine.server();
        if (server.migrateSchema()) {
            SchemaMigration.migrate(lookup(server.dataSource(), DataSource.class, ServerSettings.DATA_SOURCE));
        }
        requireHibernate();
        ScheduledExecutorService scheduler = lookup(server.scheduler(), ScheduledExecutorService.class,
                ServerSettings.SCHEDULER);
        metrics = MetricsPublisher.start(engine.engine(), scheduler, Thread.currentThread().getContextClassLoader());
        long sampleEvery = DepthSampler.INTERVAL.toMillis();
        depthSampling = scheduler.scheduleWithFixedDelay(this::sampleDepth, 0, sampleEvery, TimeUnit.MILLISECONDS);
        WorkerSettings settings = engine.settings();
        engine.engine().useScheduler(scheduler);
        if (!settings.enabled()) {
            LOG.log(Level.INFO, "TaskQ worker is off on this node ({0}=false): tasks are enqueued, not run here",
                    WorkerSettings.ENABLED);
            return;
        }
        worker = engine.engine().worker(loopExecutor(server.executor(), settings.allLoops()), scheduler,
                listenerThreads());
        worker.start();
        workerGauges = WorkerGauges.of(engine.engine().running(), worker);
        metrics.addWorker(workerGauges);
    }

    /** @return the running worker, if this node runs one */
    public java.util.Optional<Worker> worker() {
        return java.util.Optional.ofNullable(worker);
    }

    /** @return what the worker's gauges read, if this node runs a worker */
    public java.util.Optional<WorkerGauges> workerGauges() {
        return java.util.Optional.ofNullable(workerGauges);
    }

    /** Called when the web application stops, while its beans and data sources are there for finishing tasks. */
    public void stop() {
        if (worker != null) {
            worker.stop();
        }
        if (ownLoopPool != null) {
            ownLoopPool.shutdownNow();
        }
        engine.engine().stopBackground();
        if (metrics != null) {
            metrics.stop(); // after the worker: attempts finishing in the grace period still count
        }
        if (depthSampling != null) {
            depthSampling.cancel(false);
        }
    }

    private void sampleDepth() {
        try {
            engine.engine().depthSampler().runOnce();
        } catch (RuntimeException e) {
            // Only a gap in the admin page's chart: the claims and the readiness check report the database itself.
            LOG.log(Level.DEBUG, "Could not sample the queue's depth", e);
        }
    }

    /**
     * EclipseLink has no equivalent of the SKIP LOCKED hint: it would silently lock and wait, or worse. Fail the
     * deployment with the fix instead.
     */
    private void requireHibernate() {
        // In a transaction: a transaction-scoped entity manager may refuse to be touched outside one. No query runs.
        String delegate = transactions.requiresNew(em -> em.getEntityManagerFactory().getClass().getName());
        if (!delegate.startsWith("org.hibernate")) {
            throw new TaskQueueException("TaskQ needs Hibernate ORM as the JPA provider of the persistence unit that "
                    + "holds dev.taskq.Task, but it is " + delegate + ". On Payara, bundle hibernate-core in the "
                    + "application and set <provider>org.hibernate.jpa.HibernatePersistenceProvider</provider> in "
                    + "persistence.xml (see the README).");
        }
    }

    /** @return the managed threads of the listener that hears other nodes' enqueues; null leaves the worker polling */
    private static ThreadFactory listenerThreads() {
        try {
            return (ManagedThreadFactory) new InitialContext().lookup(DEFAULT_THREAD_FACTORY);
        } catch (NamingException | ClassCastException e) {
            LOG.log(Level.WARNING, "TaskQ cannot listen for other nodes' enqueues without " + DEFAULT_THREAD_FACTORY
                    + " (" + e + "); the worker polls");
            return null;
        }
    }

    private ExecutorService loopExecutor(String name, int threads) {
        Object executor = lookup(name, Object.class, ServerSettings.EXECUTOR);
        if (executor instanceof ExecutorService service) {
            return service;
        }
        if (executor instanceof ManagedThreadFactory threadFactory) {
            ownLoopPool = Executors.newFixedThreadPool(threads, threadFactory);
            return ownLoopPool;
        }
        throw new TaskQueueException(ServerSettings.EXECUTOR + " must name a ManagedExecutorService or a "
                + "ManagedThreadFactory, but " + name + " is a " + executor.getClass().getName() + ".");
    }

    private static <T> T lookup(String name, Class<T> type, String setting) {
        try {
            Object found = new InitialContext().lookup(name);
            if (!type.isInstance(found)) {
                throw new TaskQueueException(setting + " must name a " + type.getSimpleName() + ", but " + name
                        + " is a " + found.getClass().getName() + ".");
            }
            return type.cast(found);
        } catch (NamingException e) {
            throw new TaskQueueException(setting + " names " + name + ", which is not bound in JNDI: " + e
                    .getMessage(), e);
        }
    }
}
