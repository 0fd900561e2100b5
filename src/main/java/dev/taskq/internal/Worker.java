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
 * A node's worker: N claim-and-run loops on one executor, the heartbeat, the rescuer and the pruner on a scheduler. The
 * executors belong to the caller (in a server, the managed ones), so the worker cancels what it submitted and
 * never shuts an executor down.
 *
 * <p>{@link #stop()} is graceful: loops stop claiming and give back claimed tasks they have not started;
 * running tasks get the shutdown grace period to finish, keeping their heartbeat; then they are interrupted and
 * left RUNNING, for the dirty policy to judge. Nothing is lost.
 */
public final class Worker {

    private static final System.Logger LOG = System.getLogger(Worker.class.getName());
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

    private final WorkerSettings settings;
    private final Claimer claimer;
    private final TaskRunner runner;
    private final Heartbeat heartbeat;
    private final Rescuer rescuer;
    private final Pruner pruner;
    private final ExecutorService loopExecutor;
    private final ScheduledExecutorService scheduler;
    private final WakeUp wakeUp = new WakeUp();
    private final List<Future<?>> submitted = new ArrayList<>();
    private CountDownLatch loopsEnded;
    private final java.util.concurrent.atomic.AtomicInteger loopsRunning = new java.util.concurrent.atomic.AtomicInteger();
    private volatile java.time.Instant lastBeat;
    private volatile boolean stopping;
    private boolean started;

    Worker(WorkerSettings settings, Claimer claimer, TaskRunner runner, Heartbeat heartbeat, Rescuer rescuer,
            Pruner pruner, ExecutorService loopExecutor, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.claimer = claimer;
        this.runner = runner;
        this.heartbeat = heartbeat;
        this.rescuer = rescuer;
        this.pruner = pruner;
        this.loopExecutor = loopExecutor;
        this.scheduler = scheduler;
    }

    /** Starts the loops, the heartbeat and the rescuer. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("This worker was started already; build a new one to start again.");
        }
        started = true;
        loopsEnded = new CountDownLatch(settings.threads());
        for (int i = 0; i < settings.threads(); i++) {
            submitted.add(loopExecutor.submit(this::loop));
        }
        long beat = settings.heartbeatInterval().toMillis();
        long rescue = Math.max(beat, settings.dirtyThreshold().toMillis() / 3);
        submitted.add(scheduler.scheduleWithFixedDelay(() -> periodic("heartbeat", () -> {
            heartbeat.runOnce();
            lastBeat = java.time.Instant.now();
        }), 0, beat, TimeUnit.MILLISECONDS));
        submitted.add(scheduler.scheduleWithFixedDelay(() -> periodic("dirty check", rescuer::runOnce), rescue,
                rescue, TimeUnit.MILLISECONDS));
        if (pruner.hasWork()) {
            long prune = PRUNE_INTERVAL.toMillis();
            submitted.add(scheduler.scheduleWithFixedDelay(() -> periodic("pruning", pruner::runOnce), prune, prune,
                    TimeUnit.MILLISECONDS));
        }
        LOG.log(Level.INFO, "TaskQ worker {0} started: {1} loop(s) on queue(s) {2}", settings.nodeId(),
                settings.threads(), settings.queues());
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
        if (loops < settings.threads()) {
            return loops + " of " + settings.threads() + " loops are running";
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

    /** @return whether {@link #stop()} has begun */
    public boolean isStopping() {
        return stopping;
    }

    /** Makes idle loops look for tasks now instead of at their next poll. */
    public void wakeUp() {
        wakeUp.signalAll();
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
        wakeUp.signalAll();
        boolean graceful = await(loopsEnded, settings.shutdownGrace());
        if (!graceful) {
            runner.abandonInFlight();
            submitted.forEach(future -> future.cancel(true));
            await(loopsEnded, AFTER_INTERRUPT);
        }
        submitted.forEach(future -> future.cancel(false));
        LOG.log(graceful ? Level.INFO : Level.WARNING, graceful
                ? "TaskQ worker " + settings.nodeId() + " stopped"
                : "TaskQ worker " + settings.nodeId() + " stopped after interrupting tasks still running at the end "
                        + "of the " + settings.shutdownGrace() + " grace period; they are left for the dirty policy");
        return graceful;
    }

    private void loop() {
        loopsRunning.incrementAndGet();
        try {
            while (!stopping && !Thread.currentThread().isInterrupted()) {
                long seen = wakeUp.generation();
                List<ClaimedTask> batch;
                try {
                    batch = claimer.runOnce();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Claiming tasks failed; trying again in " + settings.pollInterval(), e);
                    batch = List.of();
                }
                if (batch.isEmpty()) {
                    wakeUp.awaitSignalAfter(seen, settings.pollInterval());
                } else {
                    runBatch(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            loopsRunning.decrementAndGet();
            loopsEnded.countDown();
        }
    }

    private void runBatch(List<ClaimedTask> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (stopping) {
                List<ClaimedTask> unstarted = batch.subList(i, batch.size());
                try {
                    claimer.release(unstarted);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Could not give back " + unstarted.size() + " claimed task(s); they stay "
                            + "RUNNING until judged dirty", e);
                }
                return;
            }
            runner.run(batch.get(i));
        }
    }

    private static void periodic(String what, Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "TaskQ " + what + " failed; it runs again at its next interval", e);
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
