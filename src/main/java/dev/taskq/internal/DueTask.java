package dev.taskq.internal;

import java.time.Instant;

/**
 * A due task as the claim's select locked it: the columns a run needs and nothing else, so that a claim reads no
 * history, result or error and Hibernate builds, tracks and flushes no entity for it.
 *
 * @param id          the task's id
 * @param queue       its queue
 * @param name        its handler's name
 * @param args        its arguments as JSON, or {@code null}
 * @param attempt     the attempts it has had so far
 * @param maxAttempts how many attempts it may have in all
 * @param eta         when it became due
 * @param createdAt   when it was enqueued
 * @param expiresAt   after when no attempt of it may start, or {@code null}
 */
public record DueTask(long id, String queue, String name, String args, int attempt, int maxAttempts, Instant eta,
        Instant createdAt, Instant expiresAt) {

    /** The select list of a JPQL query on {@code Task t} that returns this record. */
    static final String SELECT = "select new dev.taskq.internal.DueTask(t.id, t.queue, t.name, t.args, t.attempt,"
            + " t.maxAttempts, t.eta, t.createdAt, t.expiresAt)";

    /** @return this task as claimed at {@code claimedAt} for its next attempt */
    ClaimedTask claimed(Instant claimedAt) {
        return new ClaimedTask(id, queue, name, args, attempt + 1, maxAttempts, eta, claimedAt, createdAt, expiresAt);
    }
}
