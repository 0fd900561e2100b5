package dev.taskq.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts this node has claimed and not yet finished: what the heartbeat keeps alive, and where a person's
 * cancellation reaches the handler's thread.
 */
public final class RunningTasks {

    private static final System.Logger LOG = System.getLogger(RunningTasks.class.getName());

    private final Map<Long, Run> runs = new ConcurrentHashMap<>();

    void add(ClaimedTask task) {
        runs.put(task.id(), new Run(task));
    }

    void remove(ClaimedTask task) {
        runs.computeIfPresent(task.id(), (id, run) -> run.task.attempt() == task.attempt() ? null : run);
    }

    /** @return the run of this attempt, or null if this node does not run it (any more) */
    Run find(ClaimedTask task) {
        Run run = runs.get(task.id());
        return run != null && run.task.attempt() == task.attempt() ? run : null;
    }

    /** @return a copy: task id to attempt */
    public Map<Long, Integer> snapshot() {
        Map<Long, Integer> attempts = new HashMap<>();
        runs.forEach((id, run) -> attempts.put(id, run.task.attempt()));
        return Map.copyOf(attempts);
    }

    /**
     * @return the attempts to keep alive: all but those whose handler has ignored a cancellation for longer than
     *         {@code grace}, which are left to go dirty
     */
    Map<Long, Integer> toKeepAlive(Instant now, Duration grace) {
        Map<Long, Integer> attempts = new HashMap<>();
        runs.forEach((id, run) -> {
            if (run.keepAlive(now, grace)) {
                attempts.put(id, run.task.attempt());
            }
        });
        return attempts;
    }

    /** A person cancelled task {@code id}: tells its handler, if this node runs it. */
    void cancel(long id, Instant at) {
        Run run = runs.get(id);
        if (run != null) {
            run.cancel(at);
        }
    }

    /** @return how many tasks this node runs now */
    public int size() {
        return runs.size();
    }

    /** One attempt on this node: the thread in its handler, while one is, and a cancellation, once asked. */
    static final class Run {
        final ClaimedTask task;
        private Thread handlerThread;
        private Instant cancelledAt;
        private boolean interrupted;
        private boolean graceOver;

        Run(ClaimedTask task) {
            this.task = task;
        }

        /** The calling thread enters the handler: a cancellation from now on interrupts it. */
        synchronized void enter() {
            handlerThread = Thread.currentThread();
        }

        /** The handler returned or threw: clears the interrupt a cancellation caused, which must not outlive it. */
        synchronized void leave() {
            handlerThread = null;
            if (interrupted) {
                Thread.interrupted();
                interrupted = false;
            }
        }

        synchronized void cancel(Instant at) {
            if (cancelledAt != null) {
                return;
            }
            cancelledAt = at;
            if (handlerThread != null) {
                interrupted = true;
                handlerThread.interrupt();
            }
            LOG.log(Level.INFO, () -> "Task " + TaskRef.of(task) + " was cancelled: its handler is asked to stop");
        }

        synchronized boolean cancelled() {
            return cancelledAt != null;
        }

        private synchronized boolean keepAlive(Instant now, Duration grace) {
            if (cancelledAt == null || handlerThread == null || !now.isAfter(cancelledAt.plus(grace))) {
                return true;
            }
            if (!graceOver) {
                graceOver = true;
                LOG.log(Level.WARNING, () -> "Task " + TaskRef.of(task) + " ignored its cancellation for more than "
                        + grace.toMillis() + " ms: its heartbeat stops, and it is left to the dirty policy");
            }
            return false;
        }
    }
}
