package dev.taskq;

/**
 * The stored state of a {@link Task}. The admin's groups (future, pending, active, dirty, failed) are derived
 * from it together with the task's ETA and heartbeat.
 */
public enum TaskState {
    /** Waiting to be claimed once its ETA has come. */
    PENDING,
    /** Claimed by a worker, which refreshes its heartbeat while it runs. */
    RUNNING,
    /** Out of attempts, or failed with an error that does not retry: the dead letter, kept for a person. */
    FAILED,
    /** Done; only stored when the worker is configured to keep succeeded tasks (else the row is deleted). */
    SUCCEEDED,
    /**
     * Cancelled by a person before it finished: kept like a FAILED task, with who cancelled it; never run again
     * unless retried.
     */
    CANCELLED
}
