package dev.taskq.internal;

import java.time.Instant;

/**
 * A task as its claim left it: RUNNING on this node for attempt {@code attempt}. Every later update of the row
 * names this attempt, so it cannot touch a newer attempt that another worker took over.
 *
 * @param id          the task's id
 * @param queue       its queue
 * @param name        its handler's name
 * @param args        its arguments as JSON, or {@code null}
 * @param attempt     the attempt this claim started (1 for the first)
 * @param maxAttempts how many attempts it may have in all
 * @param eta         when it became due
 * @param claimedAt   when this claim took it
 * @param enqueuedAt  when it was enqueued
 * @param expiresAt   after when no attempt of it may start, or {@code null}
 */
public record ClaimedTask(long id, String queue, String name, String args, int attempt, int maxAttempts,
        Instant eta, Instant claimedAt, Instant enqueuedAt, Instant expiresAt) {

    /** @return a task without a deadline, as most are */
    public ClaimedTask(long id, String queue, String name, String args, int attempt, int maxAttempts, Instant eta,
            Instant claimedAt, Instant enqueuedAt) {
        this(id, queue, name, args, attempt, maxAttempts, eta, claimedAt, enqueuedAt, null);
    }

    /** @return whether an attempt starting at {@code now} comes after the task's deadline */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && now.isAfter(expiresAt);
    }
}
