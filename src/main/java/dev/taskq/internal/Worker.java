package dev.taskq.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's worker: N loops on one executor, each running the tasks its {@link Dispatcher} hands it, and the
 * heartbeat on a scheduler, with the {@link Maintenance} (dirty check, pruner, queue stats), which runs only while
 * this node holds the {@link MaintenanceLease}. The executors belong to the caller (in a server, the managed ones),
 * so the worker cancels what it submitted and never shuts an executor down.
 *
 * <p>{@link #stop()} is graceful: nothing more is handed out, and claimed tasks that never started are given back;
 * running tasks get the shutdown grace period to finish (and to record their outcome, should the database be away),
 * keeping their heartbeat; then they are interrupted and left RUNNING, for the dirty policy to judge. Successes that
 * wait in the {@link CompletionBatch} are recorded before the stop returns. Nothing is lost.
 */
public final class Worker {

    private static final System.Logger LOG = System.getLogger(Worker.class.getName());
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

    private final WorkerSettings settings;
    /** One dispatcher per lane of loops: the shared loops, and each queue's own (see {@link WorkerSettings}). */
    private final List<Dispatcher> lanes = new ArrayList<>();
    private final DatabaseLink link;
    private final CommitListener listener;
    private final Maintenance maintenance;
    private final java.util.concurrent.ThreadFactory listenerThreads;
    private final TaskRunner runner;
    private final Claimer claimer;
    private final Heartbeat heartbeat;
    private final ExecutorService loopExecutor;
    private final ScheduledExecutorService scheduler;
    private final List<Future<?>> submitted = new ArrayList<>();
    private CountDownLatch loopsEnded;
    private final java.util.concurrent.atomic.AtomicInteger loopsRunning = new java.util.concurrent.atomic.AtomicInteger();
    private volatile java.time.Instant lastBeat;
    private volatile boolean stopping;
    private boolean started;

    Worker(WorkerSettings settings, Claimer claimer, DatabaseLink link, TaskRunner runner, Heartbeat heartbeat,
            Maintenance maintenance, ExecutorService loopExecutor, ScheduledExecutorService scheduler,
            CommitListener listener, java.util.concurrent.ThreadFactory listenerThreads) {
        this.listener = listener;
        this.claimer = claimer;
        this.listenerThreads = listenerThreads;
        this.maintenance = maintenance;
        this.settings = settings;
        if (!settings.sharedQueues().isEmpty()) {
            lanes.add(new Dispatcher(claimer, link, settings.forLane(settings.sharedQueues(), settings.threads())));
        }
        settings.queueLoops().forEach((queue, loops) ->
                lanes.add(new Dispatcher(claimer, link, settings.forLane(List.of(queue), loops))));
        this.link = link;
        this.runner = runner;
        this.heartbeat = heartbeat;
        this.loopExecutor = loopExecutor;
        this.scheduler = scheduler;
    }

    /** Starts the loops, the heartbeat and the rescuer. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("This worker was started already; build a new one to start again.");
        }
        started = true;
        loopsEnded = new CountDownLatch(settings.allLoops());
        if (listener != null) {
            listener.start(listenerThreads);
        }
        for (Dispatcher lane : lanes) {
            for (int i = 0; i < lane.loops(); i++) {
                submitted.add(loopExecutor.submit(() -> loop(lane)));
            }
        }
        long beat = settings.heartbeatInterval().toMillis();
        long rescue = Math.max(beat, settings.dirtyThreshold().toMillis() / 3);
        submitted.add(scheduler.scheduleWithFixedDelay(() -> periodic("heartbeat", this::beat), 0, beat,
                TimeUnit.MILLISECONDS));
        long window = settings.completionBatchWindow().toMillis();
        submitted.add(scheduler.scheduleWithFixedDelay(() -> periodic("completion batch", runner::flushCompletions),
                window, window, TimeUnit.MILLISECONDS));
        long renew = MaintenanceLease.RENEW_EVERY.toMillis();
        submitted.add(scheduler.scheduleWithFixedDelay(() -> periodic("maintenance lease", maintenance.lease()::renew),
                0, renew, TimeUnit.MILLISECONDS));
        whileHoldingTheLease("dirty check", maintenance.rescuer()::runOnce, rescue, rescue);
        // Always: even without a retention, succeeded tasks whose unique key holds for a period are kept till then.
        long prune = PRUNE_INTERVAL.toMillis();
        whileHoldingTheLease("pruning", maintenance.pruner()::runOnce, prune, prune);
        // At once (after the lease's first renewal, queued before it), so that gauges have numbers from the start.
        whileHoldingTheLease("taking the queues' stats", maintenance.stats()::take, 0,
                ClusterStats.INTERVAL.toMillis());
        LOG.log(Level.INFO, "TaskQ worker {0} started: {1} loop(s), by queues: {2}", settings.nodeId(),
                settings.allLoops(), lanes.stream().map(Dispatcher::describe).toList());
    }

    private void beat() {
        if (heartbeat.runOnce() > 0) {
            link.answered();
        }
        lastBeat = java.time.Instant.now();
    }

    /** A beat now, besides the regular ones: it brings the cancellations another node made at once. */
    void beatNow() {
        try {
            scheduler.execute(() -> periodic("heartbeat", this::beat));
        } catch (RuntimeException e) { // the scheduler is shut down: the worker is stopping
            LOG.log(Level.DEBUG, "No extra heartbeat: the worker is stopping", e);
        }
    }

    /** Runs {@code work} every {@code millis}, the first time after {@code first}, while this node holds the lease. */
    private void whileHoldingTheLease(String what, Runnable work, long first, long millis) {
        submitted.add(scheduler.scheduleWithFixedDelay(() -> periodic(what, () -> {
            if (maintenance.lease().isHeld()) {
                work.run();
            }
        }), first, millis, TimeUnit.MILLISECONDS));
    }

    /**
     * Whether this worker is fit to run tasks: every loop running, and the heartbeat beating.
     *
     * @return null if healthy, else the reason it is not
     */
    public String unhealthyReason() {
        if (!started || stopping) {
            return "the worker is " + (started ? "stopping" : "not started");
        }
        int loops = loopsRunning.get();
        if (loops < settings.allLoops()) {
            return loops + " of " + settings.allLoops() + " loops are running";
        }
        java.time.Instant beat = lastBeat;
        java.time.Duration late = settings.heartbeatInterval().multipliedBy(3);
        if (beat == null || beat.isBefore(java.time.Instant.now().minus(late))) {
            return "no heartbeat for more than " + late.toMillis() + " ms";
        }
        return null;
    }

    /** @return when the heartbeat last ran to its end, by the system clock; empty before the first beat */
    public java.util.Optional<java.time.Instant> lastHeartbeat() {
        return java.util.Optional.ofNullable(lastBeat);
    }

    /** @return whether this worker hears other nodes' enqueues now ({@code LISTEN}); else it relies on its poll */
    public boolean isListening() {
        return listener != null && listener.isListening();
    }

    /** @return whether {@link #stop()} has begun */
    public boolean isStopping() {
        return stopping;
    }

    /** Makes idle loops look for tasks now instead of at their next poll. */
    public void wakeUp() {
        lanes.forEach(Dispatcher::wake);
    }

    /**
     * Stops gracefully (see the class comment). Waits at most the shutdown grace period plus a few seconds.
     *
     * @return true if every loop finished its task within the grace period
     */
    public synchronized boolean stop() {
        if (!started || stopping) {
            return true;
        }
        stopping = true;
        java.time.Instant deadline = java.time.Instant.now().plus(settings.shutdownGrace());
        lanes.forEach(Dispatcher::stop);
        if (listener != null) {
            listener.stop();
        }
        boolean graceful = await(loopsEnded, settings.shutdownGrace());
        if (!graceful) {
            runner.abandonInFlight();
            submitted.forEach(future -> future.cancel(true));
            await(loopsEnded, AFTER_INTERRUPT);
        }
        runner.flushAllCompletions(() -> java.time.Instant.now().isAfter(deadline));
        lanes.forEach(lane -> lane.giveBackUnstarted(deadline));
        submitted.forEach(future -> future.cancel(false));
        periodic("giving up the maintenance lease", maintenance.lease()::release);
        LOG.log(graceful ? Level.INFO : Level.WARNING, graceful
                ? "TaskQ worker " + settings.nodeId() + " stopped"
                : "TaskQ worker " + settings.nodeId() + " stopped after interrupting tasks still running at the end "
                        + "of the " + settings.shutdownGrace() + " grace period; they are left for the dirty policy");
        return graceful;
    }

    private void loop(Dispatcher dispatcher) {
        loopsRunning.incrementAndGet();
        try {
            for (ClaimedTask task = dispatcher.next(); task != null; task = dispatcher.next()) {
                long began = System.nanoTime();
                runner.run(task);
                dispatcher.ran(System.nanoTime() - began);
                if (settings.maxRunning().containsKey(task.queue()) || claimer.limitsHandler(task.name())) {
                    lanes.forEach(Dispatcher::wake); // room under the limit: a claim may take it now
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            loopsRunning.decrementAndGet();
            loopsEnded.countDown();
        }
    }

    /** Runs a periodic job; a lost database is the link's to report (once per outage), anything else is logged. */
    private void periodic(String what, Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            if (!link.failed(e)) {
                LOG.log(Level.WARNING, "TaskQ " + what + " failed; it runs again at its next interval", e);
            }
        }
    }

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
