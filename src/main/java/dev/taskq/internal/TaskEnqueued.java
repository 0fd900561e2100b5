package dev.taskq.internal;

import java.time.Instant;

/**
 * Fired as a task is enqueued, inside the caller's transaction, so that an observer waiting for its success
 * sees only tasks that were committed (the test helpers do).
 *
 * @param id          the task's id (for a unique key already held: the holder's)
 * @param name        its handler's name
 * @param queue       its queue
 * @param args        its arguments as JSON, or {@code null}
 * @param priority    its priority
 * @param eta         when it is due
 * @param maxAttempts its attempts
 * @param uniqueKey   its unique key, or {@code null}
 */
public record TaskEnqueued(long id, String name, String queue, String args, int priority, Instant eta,
        int maxAttempts, String uniqueKey) {
}
