package dev.taskq;

import java.time.Instant;

/**
 * What a running handler knows of its task, for idempotency keys and logs: {@code "charge-" + context.id()} is the
 * same in every attempt of a task and different for every task. In a server, {@code @Inject TaskContext} into the
 * handler; each call reads the task of the attempt running on the calling thread.
 *
 * <p>Outside an attempt (another bean's thread, a handler's own threads) every method throws
 * {@link IllegalStateException}.
 */
public interface TaskContext {

    /** @return the task's id, the same in every attempt */
    long id();

    /** @return its handler's task name */
    String name();

    /** @return its queue */
    String queue();

    /** @return this attempt's number: 1 for the first, counting every attempt that ran (a snooze does not count) */
    int attempt();

    /** @return how many attempts it may have in all */
    int maxAttempts();

    /** @return when it was enqueued */
    Instant enqueuedAt();

    /** @return when it became due (its ETA; for a retry, the end of its back-off) */
    Instant dueAt();

    /**
     * Whether a person cancelled the task ({@link TaskAdmin#cancel(long, String)}) while it runs. TaskQ also
     * interrupts the handler's thread once, so a handler blocked in an interruptible wait hears it at once; one
     * that works in steps polls this between them. To stop, throw (an {@link InterruptedException}, or a
     * {@link java.util.concurrent.CancellationException}): the attempt ends, its transaction rolls back, and the task
     * is CANCELLED. A handler that returns normally has done its work, and the task succeeds.
     *
     * @return true once the task's cancellation reached this node (within a heartbeat, or at once where the node
     *         hears other nodes' notifications)
     */
    boolean cancelRequested();
}
