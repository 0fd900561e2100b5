package dev.taskq.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands claimed tasks to a worker's loops, claiming only what they can start now: a task for every loop that waits,
 * plus a line of at most {@link WorkerSettings#prefetch()} more, which wait for the next loop to come free. So a task
 * is RUNNING only while a loop is on it, or while it is one of those few; a blocked task holds its own loop and no
 * other task.
 *
 * <p>The line is as long as the loops need to stay busy through one claim: twice the tasks they finish while a claim
 * runs, from smoothed measures of both, and at least eight times the tasks one loop finishes meanwhile (the
 * claiming loop's own pause), never longer than the prefetch. Tasks that take eight times longer than a claim get
 * a line of one; no-op tasks get the whole prefetch, which amortizes each claim's round trips over many tasks.
 *
 * <p>There is no dispatcher thread: the first loop that finds the line short claims for every loop that waits,
 * the others wait for its result. A claim that finds fewer due tasks than it asked for makes the loops wait for a
 * wake-up ({@link #wake()}: an enqueue committed) or the poll interval.
 *
 * <p>A claim that fails otherwise is tried again after a second, then after longer waits up to a minute (or the
 * poll interval, if shorter), never only at the next poll, which may be minutes away.
 *
 * <p>While the database cannot be reached nothing is claimed or handed out: claims retry with a back-off, tasks in
 * line are given back (PENDING again, no attempt counted) once it answers, and so is a claim whose commit went
 * unanswered, before anything is claimed again.
 */
final class Dispatcher {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    /**
     * The claiming loop runs no task while it claims: a line of at least this many times the tasks that fit in one
     * claim's time keeps that pause under a ninth of the loop's time, which with few loops is what bounds the rate.
     */
    private static final double MIN_TASKS_PER_CLAIM_TIME = 8;
    private static final Backoff AFTER_FAILED_CLAIM = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final Claimer claimer;
    private final List<String> queues;
    private final DatabaseLink link;
    private final int prefetch;
    private final int threads;
    private final long pollNanos;
    /** Smoothed nanoseconds of one claim, and of one task on a loop (its completion included): they size the line. */
    private double claimNanos;
    private double taskNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ClaimedTask> ready = new ArrayDeque<>();
    /** Claimed, never started, to be given back once the database answers. */
    private final List<ClaimedTask> toGiveBack = new ArrayList<>();
    /** Claims whose commit went unanswered, to be undone once the database answers. */
    private final List<Instant> unknownClaims = new ArrayList<>();
    private int waiting;
    private boolean claiming;
    private boolean stopping;
    private long wakes;
    private long dryAtWake = -1;
    private long dryUntil;
    private long retryAt;
    private int failures;

    /** @param settings the lane's: its queues, its loops, the prefetch and the poll */
    Dispatcher(Claimer claimer, DatabaseLink link, WorkerSettings settings) {
        this.claimer = claimer;
        this.queues = settings.queues();
        this.link = link;
        this.prefetch = settings.prefetch();
        this.threads = settings.threads();
        this.pollNanos = settings.pollInterval().toNanos();
    }

    /**
     * Waits for this loop's next task.
     *
     * @return the task, RUNNING on this node for this loop; null once the worker stops
     */
    ClaimedTask next() throws InterruptedException {
        lock.lock();
        waiting++;
        try {
            while (!stopping) {
                if (link.isDown() && !ready.isEmpty()) {
                    toGiveBack.addAll(ready); // claimed before the outage: another node may own them once it ends
                    ready.clear();
                }
                long now = System.nanoTime();
                boolean mayClaim = !claiming && now - retryAt >= 0 && !(wakes == dryAtWake && now - dryUntil < 0);
                // Refilled once down to an eighth: each claim then takes seven eighths of the line, fewer claims per
                // task than refills at a quarter (batched no-op tasks at 4 loops: 0.046 statements per task against
                // 0.052, 0.43 of the claim-100 reference against 0.39 in back-to-back runs), and what is left still
                // covers a quarter of a claim's time, the line being at least twice what that time needs.
                if (!ready.isEmpty() && (ready.size() > line() / 8 || !mayClaim)) {
                    return ready.poll();
                }
                if (mayClaim) {
                    claimForWaitingLoops();
                } else {
                    changed.awaitNanos(nanosUntilClaimMayHelp(now));
                }
            }
            return null;
        } finally {
            waiting--;
            lock.unlock();
        }
    }

    /** @return how many loops this dispatcher serves */
    int loops() {
        return threads;
    }

    /** @return its queues and loops, for the log: {@code [mail, reports] x 4} */
    String describe() {
        return queues + " x " + threads;
    }

    /** A loop ran a task (its completion included) in {@code nanos}: part of what sizes the line. */
    void ran(long nanos) {
        lock.lock();
        try {
            taskNanos = smooth(taskNanos, nanos);
        } finally {
            lock.unlock();
        }
    }

    /** @return how many claimed tasks to keep in line beside the waiting loops (see the class comment) */
    private int line() {
        if (prefetch == 0 || claimNanos == 0 || taskNanos == 0) {
            return Math.min(prefetch, threads); // until both are measured
        }
        double tasksPerClaim = Math.max(2.0 * threads, MIN_TASKS_PER_CLAIM_TIME) * claimNanos / taskNanos;
        return (int) Math.max(1, Math.min(prefetch, Math.ceil(tasksPerClaim)));
    }

    private static double smooth(double average, long sample) {
        return average == 0 ? sample : average + 0.2 * (sample - average);
    }

    /** An enqueue of a due task committed: waiting loops look at once instead of at the next poll. */
    void wake() {
        lock.lock();
        try {
            wakes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** From now on no task is handed out: {@link #next()} returns null to every loop. */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives back every task claimed and never started, trying until {@code deadline} while the database does not
     * answer; past it they stay RUNNING for the dirty policy. Call after the loops have ended.
     */
    void giveBackUnstarted(Instant deadline) {
        lock.lock();
        try {
            toGiveBack.addAll(ready);
            ready.clear();
        } finally {
            lock.unlock();
        }
        try {
            repair(() -> Instant.now().isAfter(deadline));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not give back " + toGiveBack.size() + " claimed task(s) that never started;"
                    + " they stay RUNNING until judged dirty", e);
            claimer.forget(toGiveBack);
        }
    }

    /** Claims for the loops that wait; called with the lock held, which it lets go during the claim. */
    private void claimForWaitingLoops() {
        claiming = true;
        int want = waiting + line() - ready.size();
        long wakesBefore = wakes; // a wake-up during the claim may be for a commit the claim did not see
        List<ClaimedTask> claimed = List.of();
        RuntimeException failure = null;
        lock.unlock();
        try {
            repair(() -> true);
            Instant claimAt = claimer.nextClaimInstant();
            try {
                long began = System.nanoTime();
                claimed = claimer.claim(queues, want, claimAt);
                long took = System.nanoTime() - began;
                lock.lock();
                try {
                    claimNanos = smooth(claimNanos, took);
                } finally {
                    lock.unlock();
                }
                link.answered();
            } catch (RuntimeException e) {
                if (link.failed(e)) {
                    lock.lock(); // its commit may have happened: undo it before claiming again
                    try {
                        unknownClaims.add(claimAt);
                    } finally {
                        lock.unlock();
                    }
                }
                throw e;
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            lock.lock();
            claiming = false;
        }
        long now = System.nanoTime();
        if (failure == null) {
            failures = 0;
            ready.addAll(claimed);
            if (claimed.size() < want) {
                dryAtWake = wakesBefore;
                dryUntil = now + pollNanos;
            }
        } else {
            boolean lost = ConnectionLoss.is(failure);
            Duration delay = lost ? DatabaseLink.retryDelay(failures) : afterFailedClaim(failures);
            failures++;
            retryAt = now + delay.toNanos();
            if (!lost) {
                LOG.log(Level.WARNING, "Claiming tasks failed; trying again in " + delay.toMillis() + " ms", failure);
            }
        }
        changed.signalAll();
    }

    /**
     * Undoes unanswered claims and gives back unstarted tasks, each until the database answers or {@code giveUp}.
     * Runs without the lock; only the claiming loop (or the stopping worker, after the loops) calls it.
     */
    private void repair(java.util.function.BooleanSupplier giveUp) {
        List<Instant> undo;
        List<ClaimedTask> giveBack;
        lock.lock();
        try {
            undo = List.copyOf(unknownClaims);
            giveBack = List.copyOf(toGiveBack);
        } finally {
            lock.unlock();
        }
        for (Instant claim : undo) {
            link.untilAnswered(em -> claimer.undo(em, claim), giveUp);
            lock.lock();
            try {
                unknownClaims.remove(claim);
            } finally {
                lock.unlock();
            }
        }
        if (!giveBack.isEmpty()) {
            link.untilAnswered(em -> claimer.release(em, giveBack), giveUp);
            claimer.forget(giveBack);
            lock.lock();
            try {
                toGiveBack.removeAll(giveBack);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * @return the wait before the next claim after {@code failures} claims in a row failed for another reason than a
     *         lost connection (a deadlock, a statement refused): a second, doubling to a minute, never past the poll.
     *         Wake-ups do not shorten it, so a claim that keeps failing is not repeated at every enqueue.
     */
    private Duration afterFailedClaim(int failures) {
        return Duration.ofNanos(Math.min(pollNanos, AFTER_FAILED_CLAIM.ceiling(failures + 1).toNanos()));
    }

    private long nanosUntilClaimMayHelp(long now) {
        long wait = pollNanos;
        if (retryAt - now > 0) {
            wait = Math.min(wait, retryAt - now);
        }
        if (wakes == dryAtWake && dryUntil - now > 0) {
            wait = Math.min(wait, dryUntil - now);
        }
        return Math.max(wait, 1);
    }
}
