package dev.taskq.internal;

import dev.taskq.QueueStats;
import dev.taskq.RunningLimits;
import dev.taskq.TaskAdmin;
import dev.taskq.TaskHandler;
import dev.taskq.TaskQueue;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * TaskQ assembled from its three seams (transactions, executors, a clock) and the handlers: the one place that
 * wires the queue and the worker's parts, in a server and in plain Java SE alike.
 */
public final class Engine {

    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    /** How often a {@link TaskClock} reads the database's clock again. */
    public static final java.time.Duration CLOCK_SYNC = java.time.Duration.ofSeconds(10);

    private final WorkerSettings settings;
    private final Transactions transactions;
    private final Clock clock;
    private boolean backgroundStarted;
    private java.util.concurrent.ScheduledFuture<?> clockSync;
    private final TaskQueue queue;
    private final Claimer claimer;
    private final TaskRunner runner;
    private final Heartbeat heartbeat;
    private final Rescuer rescuer;
    private final Pruner pruner;
    private final RunningTasks running = new RunningTasks();
    private final DatabaseLink link;
    private final CommitNotifier notifier;
    private final TaskAdmin admin;
    private final Throughput throughput;
    private final ClusterStats stats;
    private final DepthSampler depthSampler;
    private final RunListeners listeners = new RunListeners();
    private final PeriodicEnqueuer periodic;
    /** This node's workers, woken when an enqueue of a due task commits on this node. */
    private final List<Worker> workers = new CopyOnWriteArrayList<>();

    private Engine(Transactions transactions, HandlerRegistry handlers, ArgsCodec codec, Schedules schedules,
            WorkerSettings settings, Clock clock, RandomGenerator random, Consumer<TaskEnqueued> enqueued) {
        TaskStore store = new TaskStore();
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
        this.notifier = new CommitNotifier(transactions);
        this.queue = new DefaultTaskQueue(handlers, codec, store, transactions, clock, enqueued, this::committed);
        this.link = new DatabaseLink(transactions);
        PausedQueues pausedQueues = new PausedQueues();
        this.claimer = new Claimer(store, transactions, running, settings, clock, pausedQueues,
                handlers.runningLimits());
        this.throughput = new Throughput(clock);
        listeners.add(throughput);
        this.stats = new ClusterStats(transactions, settings.dirtyThreshold(), clock, settings.nodeId());
        this.depthSampler = new DepthSampler(stats, throughput);
        this.runner = new TaskRunner(handlers, codec, store, transactions, link, running, settings.keepSucceeded(),
                clock, random, listeners, new CompletionBatch(transactions, link, running, listeners, clock, settings));
        this.heartbeat = new Heartbeat(store, transactions, running, clock, settings.cancelGrace());
        this.rescuer = new Rescuer(transactions, settings, clock);
        this.pruner = new Pruner(store, transactions, settings, clock);
        this.periodic = new PeriodicEnqueuer(schedules, transactions, queue, clock);
        this.admin = new DefaultTaskAdmin(transactions, settings.dirtyThreshold(), clock, throughput::recent,
                pausedQueues::changed, this::cancelRequested, schedules,
                new RunningLimits(settings.maxRunning(), handlers.runningLimits(), settings.queueLoops()));
    }

    /**
     * @param transactions how to reach the database
     * @param handlers     the application's handlers, built with the same {@code codec}
     * @param codec        reads and writes task arguments
     * @param settings     the worker's settings
     * @param clock        the time source of the queue and the worker
     * @return the engine
     */
    public static Engine create(Transactions transactions, HandlerRegistry handlers, ArgsCodec codec,
            WorkerSettings settings, Clock clock) {
        return create(transactions, handlers, codec, settings, clock, enqueued -> { });
    }

    /**
     * @param enqueued told of every task enqueued, inside the transaction that writes it
     * @return an engine as {@link #create(Transactions, HandlerRegistry, ArgsCodec, WorkerSettings, Clock)}, whose
     *         schedules are the handlers' {@link dev.taskq.Periodic} annotations as written
     */
    public static Engine create(Transactions transactions, HandlerRegistry handlers, ArgsCodec codec,
            WorkerSettings settings, Clock clock, Consumer<TaskEnqueued> enqueued) {
        return create(transactions, handlers, codec, Schedules.of(handlers, codec, ConfigReader.of(Map.of())),
                settings, clock, enqueued);
    }

    /**
     * @param schedules the application's periodic schedules, built from the same {@code handlers}
     * @return an engine as {@link #create(Transactions, HandlerRegistry, ArgsCodec, WorkerSettings, Clock, Consumer)}
     */
    public static Engine create(Transactions transactions, HandlerRegistry handlers, ArgsCodec codec,
            Schedules schedules, WorkerSettings settings, Clock clock, Consumer<TaskEnqueued> enqueued) {
        return new Engine(Objects.requireNonNull(transactions), Objects.requireNonNull(handlers), codec,
                Objects.requireNonNull(schedules), settings, clock, RandomGenerator.getDefault(), enqueued);
    }

    /** Convenience for Java SE and tests: handler instances, system clock. */
    public static Engine create(Transactions transactions, WorkerSettings settings, Clock clock,
            TaskHandler<?>... handlers) {
        ArgsCodec codec = new ArgsCodec();
        HandlerRegistry.Builder registry = HandlerRegistry.builder(codec);
        for (TaskHandler<?> handler : handlers) {
            registry.add(handler);
        }
        return create(transactions, registry.build(), codec, settings, clock);
    }

    /** @return the queue that enqueues tasks */
    public TaskQueue queue() {
        return queue;
    }

    /** @return the admin service */
    public TaskAdmin admin() {
        return admin;
    }

    /**
     * @return a new worker as {@link #worker(ExecutorService, ScheduledExecutorService, ThreadFactory)}, listening on
     *         a thread of {@link Executors#defaultThreadFactory()}
     */
    public Worker worker(ExecutorService loopExecutor, ScheduledExecutorService scheduler) {
        return worker(loopExecutor, scheduler, Executors.defaultThreadFactory());
    }

    /**
     * Also starts this node's {@linkplain #useScheduler background work} on {@code scheduler}.
     *
     * @param listenerThreads gives the thread that listens for other nodes' enqueues; null to rely on the poll
     * @return a new worker running on these executors, not yet started; woken whenever an enqueue of a due task of
     *         its queues commits, on this node or (heard by its listener) on another
     */
    public Worker worker(ExecutorService loopExecutor, ScheduledExecutorService scheduler,
            ThreadFactory listenerThreads) {
        useScheduler(scheduler);
        CommitListener listener = listenerThreads == null ? null
                : new CommitListener(transactions, Set.copyOf(settings.queues()), this::wakeWorkers,
                        this::cancellationHeard);
        Maintenance maintenance = new Maintenance(new MaintenanceLease(transactions, settings.nodeId()), rescuer,
                pruner, stats);
        Worker worker = new Worker(settings, claimer, link, runner, heartbeat, maintenance, loopExecutor, scheduler,
                listener, listenerThreads);
        workers.add(worker);
        return worker;
    }

    /**
     * Starts this node's background work on {@code scheduler}, once however often it is called: telling the other
     * nodes' workers of due tasks it commits ({@code NOTIFY}), enqueueing the tasks of periodic schedules as their
     * slots come (with the other nodes, one task per slot for the cluster), and keeping a {@link TaskClock} aligned with the
     * database's clock (at once, then every {@link #CLOCK_SYNC}). A node without a worker calls it; {@link #worker}
     * does for the others.
     */
    public synchronized void useScheduler(ScheduledExecutorService scheduler) {
        if (backgroundStarted) {
            return;
        }
        backgroundStarted = true;
        notifier.sendOn(scheduler);
        periodic.startOn(scheduler);
        if (clock instanceof TaskClock databaseClock) {
            Runnable sync = () -> {
                try {
                    databaseClock.sync(() -> transactions.requiresNew(Engine::databaseNow));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Could not read the database's clock; trying again later", e);
                }
            };
            sync.run();
            clockSync = scheduler.scheduleWithFixedDelay(sync, CLOCK_SYNC.toMillis(), CLOCK_SYNC.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** @return the database's clock now: {@code clock_timestamp()}, which moves on within a transaction too */
    private static Instant databaseNow(EntityManager em) {
        Object now = em.createNativeQuery("select clock_timestamp()").getSingleResult();
        if (now instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (now instanceof OffsetDateTime offsetDateTime) {
            return offsetDateTime.toInstant();
        }
        return (Instant) now;
    }

    /** Ends what {@link #useScheduler} started: the application stops. */
    public synchronized void stopBackground() {
        notifier.sendOn(null);
        periodic.stop();
        if (clockSync != null) {
            clockSync.cancel(false);
        }
    }

    private void committed(String queue) {
        wakeWorkers();
        notifier.committed(queue);
    }

    private void wakeWorkers() {
        workers.removeIf(Worker::isStopping);
        workers.forEach(Worker::wakeUp);
    }

    /** The admin asked a running task to stop: tells its handler if it runs here, and the other nodes. */
    private void cancelRequested(long id) {
        running.cancel(id, clock.instant());
        notifier.committed(CommitNotifier.CANCELLED);
    }

    /** Another node cancelled a running task: an extra heartbeat brings this node's cancellations at once. */
    private void cancellationHeard() {
        workers.removeIf(Worker::isStopping);
        workers.forEach(Worker::beatNow);
    }

    /**
     * @return what a handler reads its task from in Java SE (in a server, {@code @Inject TaskContext}), to give it
     *         before any engine exists: each call reads the task running on the calling thread
     */
    public static dev.taskq.TaskContext taskContext() {
        return CurrentTask.view();
    }

    /** @return the claimer, for driving the engine step by step */
    public Claimer claimer() {
        return claimer;
    }

    /** @return the runner, for driving the engine step by step */
    public TaskRunner runner() {
        return runner;
    }

    /** @return the heartbeat, for driving the engine step by step */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    /** @return the rescuer, for driving the engine step by step */
    public Rescuer rescuer() {
        return rescuer;
    }

    /** @return this node's recent throughput */
    public Throughput throughput() {
        return throughput;
    }

    /**
     * @return the queues' stats as the maintenance lease's holder last took them (see {@link ClusterStats}), for
     *         gauges: per queue only, with no node's running tasks or minutes
     */
    public QueueStats clusterStats() {
        return new QueueStats(clock.instant(), stats.latest(), Map.of(), List.of());
    }

    /** @return the stats the maintenance lease's holder takes for all nodes, for driving the engine step by step */
    public ClusterStats stats() {
        return stats;
    }

    /** @return the sampler of the queue's depth, for the admin page's chart */
    public DepthSampler depthSampler() {
        return depthSampler;
    }

    /** @return who is told of every attempt this node runs: add a listener to publish metrics */
    public RunListeners runListeners() {
        return listeners;
    }

    /** @return what enqueues the periodic schedules' tasks, for driving the engine step by step */
    public PeriodicEnqueuer periodic() {
        return periodic;
    }

    /** @return the pruner, for driving the engine step by step */
    public Pruner pruner() {
        return pruner;
    }

    /** @return the tasks this node runs now */
    public RunningTasks running() {
        return running;
    }
}
