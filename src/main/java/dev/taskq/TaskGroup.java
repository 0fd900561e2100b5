package dev.taskq;

/**
 * How a person sees the queue (django-taskq's admin groups). Derived from a task's state, ETA and heartbeat,
 * never stored.
 */
public enum TaskGroup {
    /** PENDING, its ETA still ahead. */
    FUTURE,
    /** PENDING and due: waiting for a worker. */
    PENDING,
    /** RUNNING, its worker's heartbeat fresh. */
    ACTIVE,
    /** RUNNING, but its worker's heartbeat is older than the dirty threshold: the worker died or hangs. */
    DIRTY,
    /** Out of attempts, or failed with an error that does not retry: the dead letters. */
    FAILED,
    /** Succeeded, kept because the worker keeps succeeded tasks. */
    SUCCEEDED,
    /** Cancelled by a person ({@link TaskAdmin#cancel(long, String)}), kept like the failed ones. */
    CANCELLED
}
