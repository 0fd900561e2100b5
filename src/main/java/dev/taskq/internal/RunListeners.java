package dev.taskq.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listeners of one engine, told in the order they were added. A listener that throws is logged and skipped:
 * a metrics library's trouble must never fail or lose a task.
 */
public final class RunListeners implements RunListener {

    private static final System.Logger LOG = System.getLogger(RunListeners.class.getName());

    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds {@code listener}; it is told of attempts that start from now on. */
    public void add(RunListener listener) {
        listeners.add(listener);
    }

    /** Stops telling {@code listener}, as when the application that added it stops. */
    public void remove(RunListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
        for (RunListener listener : listeners) {
            try {
                listener.started(task, sinceDue, sinceClaim);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Run listener " + listener + " failed; the task goes on", e);
            }
        }
    }

    @Override
    public void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
        for (RunListener listener : listeners) {
            try {
                listener.finished(task, outcome, took);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Run listener " + listener + " failed; the task goes on", e);
            }
        }
    }
}
