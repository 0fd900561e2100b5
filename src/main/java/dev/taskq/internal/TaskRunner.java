package dev.taskq.internal;

import dev.taskq.EndAttempt;
import jakarta.persistence.EntityManager;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Runs one claimed task. In the default mode the handler runs in a new transaction and the task's completion
 * commits in that same transaction, so the handler's database work and the completion are atomic; if the
 * attempt no longer owns the row (it was rescued meanwhile), the whole transaction rolls back. A failure rolls
 * the handler's work back and a new transaction records the attempt: PENDING again after a back-off, or FAILED.
 *
 * <p>An outcome the database cannot take right now (it does not answer) is retried until it does, the task kept
 * alive by the heartbeat meanwhile, so an outage costs no task; only the worker's stop, past its grace period, ends
 * the retries and leaves the task to the dirty policy.
 */
public final class TaskRunner {

    private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());

    /** How an attempt ended. */
    public enum Outcome {
        /** The handler returned and the completion committed (with its work, unless it ran outside a transaction). */
        SUCCEEDED,
        /**
         * The handler, run outside a transaction, returned; its completion waits in the {@link CompletionBatch}, and
         * listeners hear the outcome once it is recorded. Never reported to a {@link RunListener}.
         */
        COMPLETING,
        /** The handler failed; the task is PENDING again, due after its back-off. */
        RETRYING,
        /** The handler snoozed ({@link EndAttempt#snooze}): PENDING again, due after the delay, attempt not counted. */
        SNOOZED,
        /** The database went away before the handler could start: PENDING again, the attempt not counted. */
        RELEASED,
        /** The handler failed for good, or the task could not run at all: FAILED with its error. */
        FAILED,
        /** A person cancelled the task and its handler stopped (threw), or had not started: CANCELLED. */
        CANCELLED,
        /** The attempt came after the task's deadline: CANCELLED as expired, the handler not run, not counted. */
        EXPIRED,
        /** The row was no longer this attempt's (rescued meanwhile), or could not be written: nothing recorded. */
        LOST,
        /** The worker was stopping past its grace period: the task is left RUNNING for the dirty policy. */
        ABANDONED
    }

    private final HandlerRegistry handlers;
    private final ArgsCodec codec;
    private final TaskStore store;
    private final Transactions transactions;
    private final DatabaseLink link;
    private final RunningTasks running;
    private final boolean keepSucceeded;
    private final Clock clock;
    private final RandomGenerator random;
    private final RunListener listener;
    private final CompletionBatch completions;
    private volatile boolean abandoning;

    TaskRunner(HandlerRegistry handlers, ArgsCodec codec, TaskStore store, Transactions transactions,
            DatabaseLink link, RunningTasks running, boolean keepSucceeded, Clock clock, RandomGenerator random,
            RunListener listener, CompletionBatch completions) {
        this.handlers = handlers;
        this.codec = codec;
        this.store = store;
        this.transactions = transactions;
        this.link = link;
        this.running = running;
        this.keepSucceeded = keepSucceeded;
        this.clock = clock;
        this.random = random;
        this.listener = listener;
        this.completions = completions;
    }

    /** From now on, failures are not recorded: the worker is interrupting its tasks to stop. */
    void abandonInFlight() {
        abandoning = true;
    }

    /**
     * Records the successes that wait in the completion batch now, one try; what the database does not take waits
     * for the next flush. The worker's scheduler calls it every {@link WorkerSettings#completionBatchWindow()}.
     */
    public void flushCompletions() {
        completions.flush();
    }

    /** Records every waiting success, retrying while the database does not answer until {@code giveUp}. */
    void flushAllCompletions(java.util.function.BooleanSupplier giveUp) {
        completions.flushAll(giveUp);
    }

    /**
     * Runs one attempt of {@code task}; never throws for anything the task does.
     *
     * @return how the attempt ended
     */
    public Outcome run(ClaimedTask task) {
        Instant start = clock.instant();
        listener.started(task, since(task.eta(), start), since(task.claimedAt(), start));
        Outcome outcome = null;
        try {
            outcome = attempt(task, start);
        } finally {
            if (outcome != Outcome.COMPLETING) {
                running.remove(task);
            }
        }
        if (outcome != Outcome.COMPLETING) {
            listener.finished(task, outcome, since(start, clock.instant()));
        }
        return outcome;
    }

    private static Duration since(Instant then, Instant now) {
        Duration elapsed = Duration.between(then, now);
        return elapsed.isNegative() ? Duration.ZERO : elapsed;
    }

    private Outcome attempt(ClaimedTask task, Instant start) {
        if (task.expiredAt(start)) {
            return expired(task, start);
        }
        HandlerBinding handler = handlers.find(task.name()).orElse(null);
        if (handler == null) {
            return failForGood(task, "No task handler named '" + task.name() + "' in this application (known: "
                    + handlers.knownNames() + "). Deploy the handler again (or give its class this @TaskName), "
                    + "then retry the task.");
        }
        LOG.log(Level.DEBUG, () -> "Task " + TaskRef.of(task) + " started");
        Object args;
        try {
            args = codec.read(task.args(), handler.argsType(), handler.storedReading());
        } catch (IllegalArgumentException e) {
            return failForGood(task, "The stored arguments do not fit task handler '" + handler.name()
                    + "' (argument type " + handler.argsType().toCanonical() + "): " + e.getMessage()
                    + ". The argument type changed since the task was enqueued, or the row was edited: make them "
                    + "fit, then retry the task.");
        }
        if (args == null && !handler.takesNoArgs()) {
            return failForGood(task, "Task handler '" + handler.name() + "' needs arguments of type "
                    + handler.argsType().toCanonical() + ", but the stored arguments are null.");
        }
        RunningTasks.Run run = runOf(task);
        if (run.cancelled()) {
            return cancelled(task, "cancelled before its handler started");
        }
        boolean[] began = {false}; // the handler's transaction began: from here on the attempt counts
        try {
            if (handler.transactional()) {
                Function<EntityManager, Void> work = em -> {
                    began[0] = true;
                    String result = resultToKeep(handler, HandlerCall.invoke(run, handler, args));
                    if (!store.markSucceeded(em, task, clock.instant(), keepSucceeded, result)) {
                        throw new LeaseLost();
                    }
                    return null;
                };
                if (handler.timeout() == null) {
                    transactions.requiresNew(work);
                } else {
                    transactions.requiresNew(handler.timeout(), work);
                }
            } else {
                String result = resultToKeep(handler, transactions.notSupported(() -> HandlerCall.invoke(run, handler, args)));
                if (result == null && completions.enabled()) {
                    completions.add(task, start, () -> abandoning);
                    return Outcome.COMPLETING;
                }
                Instant finished = clock.instant();
                if (!link.untilAnswered(em -> store.markSucceeded(em, task, finished, keepSucceeded, result),
                        () -> abandoning)) {
                    throw new LeaseLost();
                }
            }
            LOG.log(Level.DEBUG, () -> "Task " + TaskRef.of(task) + " succeeded");
            return Outcome.SUCCEEDED;
        } catch (LeaseLost e) {
            LOG.log(Level.WARNING, () -> "Task " + TaskRef.of(task) + " finished, but another attempt had taken it "
                    + "over (its heartbeat had stopped): this attempt's completion was discarded");
            return Outcome.LOST;
        } catch (HandlerCall.HandlerFailure e) {
            if (run.cancelled()) {
                return cancelled(task, TaskErrors.describe(e.getCause()));
            }
            return afterFailure(task, handler, e.getCause());
        } catch (RuntimeException e) {
            if (handler.transactional() && !began[0] && ConnectionLoss.is(e)) {
                // The database went away as the transaction began: the handler never ran, so nothing is charged.
                return putBack(task, null, Outcome.RELEASED, "its transaction could not begin (" + e + ")");
            }
            if (!handler.transactional() && ConnectionLoss.is(e)) {
                return abandon(task, e); // the completion of work done outside a transaction: the stop gave up on it
            }
            return afterFailure(task, handler, e); // the handler's work failed to commit
        }
    }

    private Outcome abandon(ClaimedTask task, RuntimeException e) {
        LOG.log(Level.WARNING, () -> "Task " + TaskRef.of(task) + " succeeded, but the database did not answer "
                + "before the worker's stop ended its grace period: it is left RUNNING for the dirty policy", e);
        return Outcome.ABANDONED;
    }

    /** @return this attempt's run, which a cancellation reaches; a run of its own where no claim registered it */
    private RunningTasks.Run runOf(ClaimedTask task) {
        RunningTasks.Run run = running.find(task);
        return run != null ? run : new RunningTasks.Run(task);
    }

    private Outcome expired(ClaimedTask task, Instant now) {
        LOG.log(Level.WARNING, () -> "Task " + TaskRef.of(task) + " expired: no attempt may start after "
                + task.expiresAt() + "; it is cancelled, its handler not run");
        return recorded(task, Outcome.EXPIRED, "the expiry", em -> store.recordExpired(em, task, now));
    }

    /** Ends a cancelled task's attempt as CANCELLED; the handler's work, if it ran in a transaction, rolled back. */
    private Outcome cancelled(ClaimedTask task, String how) {
        LOG.log(Level.INFO, () -> "Task " + TaskRef.of(task) + " ended cancelled");
        return recorded(task, Outcome.CANCELLED, "the cancellation",
                em -> store.recordCancelled(em, task, "Cancelled: " + how, clock.instant()));
    }

    /**
     * @return the handler's result as JSON when succeeded tasks are kept, else {@code null}
     * @throws HandlerCall.HandlerFailure if Jackson cannot write it: the attempt fails with the reason
     */
    private String resultToKeep(HandlerBinding handler, Object result) {
        if (!keepSucceeded || result == null) {
            return null;
        }
        try {
            return codec.write(result);
        } catch (IllegalArgumentException e) {
            throw new HandlerCall.HandlerFailure(new IllegalArgumentException("Task handler '" + handler.name() + "' returned "
                    + "a " + result.getClass().getName() + " that Jackson cannot write as JSON: " + e.getMessage()
                    + ". Return a plain record or bean, or null.", e));
        }
    }

    private Outcome afterFailure(ClaimedTask task, HandlerBinding handler, Throwable error) {
        if (abandoning) {
            LOG.log(Level.WARNING, () -> "Task " + TaskRef.of(task) + " was interrupted by the worker's stop and is "
                    + "left RUNNING for the dirty policy");
            return Outcome.ABANDONED;
        }
        RetryPolicy retry = handler.retry();
        Instant now = clock.instant();
        EndAttempt end = HandlerCall.endAttempt(error);
        if (end != null && end.kind() == EndAttempt.Kind.SNOOZE) {
            Instant eta = now.plus(end.delay().orElseThrow());
            return putBack(task, eta, Outcome.SNOOZED, "its handler snoozed it until " + eta);
        }
        boolean retries = end == null ? retry.retries(error) : end.kind() == EndAttempt.Kind.RETRY;
        Instant retryAt = retries && task.attempt() < task.maxAttempts()
                ? now.plus(end != null ? end.delay().orElseThrow() : retry.backoff().delayAfter(task.attempt(), random))
                : null;
        Outcome outcome = record(task, TaskErrors.describe(error), retryAt, now);
        if (outcome == Outcome.RETRYING) {
            LOG.log(Level.INFO, () -> "Task " + TaskRef.of(task) + " failed with " + error + "; retry at " + retryAt);
        } else if (outcome == Outcome.FAILED) {
            LOG.log(Level.ERROR, () -> "Task " + TaskRef.of(task) + " failed for good", error);
        }
        return outcome;
    }

    /**
     * Makes the task PENDING again, due at {@code eta} (as it was if null), without counting the attempt.
     *
     * @return {@code outcome}, or {@link Outcome#LOST} if the row is no longer this attempt's
     */
    private Outcome putBack(ClaimedTask task, Instant eta, Outcome outcome, String why) {
        LOG.log(Level.DEBUG, () -> "Task " + TaskRef.of(task) + " is pending again, its attempt not counted: " + why);
        Instant now = clock.instant();
        return recorded(task, outcome, "the put-back (" + why + ")", outcome == Outcome.SNOOZED
                ? em -> store.snooze(em, task, eta, now) : em -> store.release(em, task));
    }

    private Outcome failForGood(ClaimedTask task, String reason) {
        LOG.log(Level.ERROR, () -> "Task " + TaskRef.of(task) + " cannot run: " + reason);
        return record(task, TaskErrors.cap(reason), null, clock.instant());
    }

    private Outcome record(ClaimedTask task, String error, Instant retryAt, Instant now) {
        return recorded(task, retryAt != null ? Outcome.RETRYING : Outcome.FAILED, "the failure",
                em -> store.recordFailure(em, task, error, retryAt, now));
    }

    /**
     * Writes how an attempt ended, retrying while the database does not answer (until the worker's stop gives up).
     *
     * @return {@code outcome}, or {@link Outcome#LOST} if the row is no longer this attempt's or could not be written
     */
    private Outcome recorded(ClaimedTask task, Outcome outcome, String what, Function<EntityManager, Boolean> write) {
        try {
            return link.untilAnswered(write, () -> abandoning) ? outcome : Outcome.LOST;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, () -> "Could not record " + what + " of task " + TaskRef.of(task)
                    + "; it stays RUNNING until judged dirty", e);
            return Outcome.LOST;
        }
    }

    /** Rolls back a completion whose row another attempt owns now. */
    private static final class LeaseLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }
}
