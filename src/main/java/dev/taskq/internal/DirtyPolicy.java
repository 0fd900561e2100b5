package dev.taskq.internal;

/** What happens to a dirty task: RUNNING, but its worker's heartbeat stopped. */
public enum DirtyPolicy {
    /** Leave it for a person to retry or delete (django-taskq's behaviour): at most once. */
    KEEP,
    /** Put it back to PENDING, counting the lost attempt: at least once. */
    REQUEUE
}
