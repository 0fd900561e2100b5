package dev.taskq.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * This node's view of its link to the database, shared by the dispatcher, the runner and the heartbeat: whether
 * the database answers, and work that must outlive an outage (an attempt's outcome, a claim given back), retried
 * until it does.
 *
 * <p>An outage is logged once when it begins and once when it ends, not once per failed statement. Retries back
 * off from {@link #FIRST_RETRY} to {@link #LAST_RETRY}, so work resumes within that long of the database
 * answering again.
 */
final class DatabaseLink {

    private static final System.Logger LOG = System.getLogger(DatabaseLink.class.getName());
    static final Duration FIRST_RETRY = Duration.ofMillis(50);
    static final Duration LAST_RETRY = Duration.ofSeconds(1);

    private final Transactions transactions;
    private final ReentrantLock lock = new ReentrantLock();
    private long downSinceNanos;
    private boolean down;

    DatabaseLink(Transactions transactions) {
        this.transactions = transactions;
    }

    /** @return whether the last word from the database was a lost connection */
    boolean isDown() {
        lock.lock();
        try {
            return down;
        } finally {
            lock.unlock();
        }
    }

    /** Notes that the database answered. */
    void answered() {
        lock.lock();
        try {
            if (down) {
                down = false;
                LOG.log(Level.WARNING, "TaskQ reaches the database again after {0} ms; claims resume",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Notes a failure: if it is a lost connection, the outage it begins or continues.
     *
     * @return whether it was a lost connection
     */
    boolean failed(RuntimeException failure) {
        if (!ConnectionLoss.is(failure)) {
            return false;
        }
        lock.lock();
        try {
            if (!down) {
                down = true;
                downSinceNanos = System.nanoTime();
                LOG.log(Level.WARNING, "TaskQ lost the database (" + rootMessage(failure) + "): it claims and starts "
                        + "nothing until the database answers, keeps the heartbeat of the tasks it runs and records "
                        + "their outcomes once it is back");
            }
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * Runs {@code work} in a new transaction, again and again while the database cannot be reached, until it
     * completes, {@code giveUp} says to stop trying, or the thread is interrupted (the worker's stop, past its
     * grace period).
     *
     * @return what {@code work} returned
     * @throws RuntimeException what {@code work} threw, if it was not a lost connection; the last lost connection if
     *                          the retries ended
     */
    <T> T untilAnswered(Function<jakarta.persistence.EntityManager, T> work, BooleanSupplier giveUp) {
        for (int attempt = 0; ; attempt++) {
            try {
                T result = transactions.requiresNew(work);
                answered();
                return result;
            } catch (RuntimeException e) {
                if (!failed(e) || giveUp.getAsBoolean() || !pause(retryDelay(attempt))) {
                    throw e;
                }
            }
        }
    }

    /** @return how long to wait before retry {@code attempt} (0 for the first) */
    static Duration retryDelay(int attempt) {
        long millis = FIRST_RETRY.toMillis() << Math.min(attempt, 10);
        return Duration.ofMillis(Math.min(millis, LAST_RETRY.toMillis()));
    }

    /**
     * Waits {@code delay} before a retry.
     *
     * @return false if the thread was interrupted meanwhile (its flag is set again): retry no more
     */
    static boolean pause(Duration delay) {
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
