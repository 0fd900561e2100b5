package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Records the successes of handlers that run outside a transaction ({@code NOT_SUPPORTED}) many at a time: one
 * guarded statement for up to {@link WorkerSettings#completionBatchSize()} tasks, sent by the loop whose success
 * fills the batch, or by the worker's scheduler every {@link WorkerSettings#completionBatchWindow()}. Such a
 * handler's work is not atomic with its completion anyway; the batch only widens the window in which a node that
 * dies leaves a finished task RUNNING, for the dirty policy, which may run it again.
 *
 * <p>Until its batch is recorded a finished task stays in {@link RunningTasks}, so the heartbeat keeps it alive, and
 * its {@link RunListener#finished} waits for the record: {@link TaskRunner.Outcome#SUCCEEDED}, or
 * {@link TaskRunner.Outcome#LOST} if another attempt owns the row by then. A full batch that the database does not
 * take is retried on its loop, with back-off, until it does; the scheduler's flush tries once per window while the
 * database answers.
 */
final class CompletionBatch {

    private static final System.Logger LOG = System.getLogger(CompletionBatch.class.getName());
    /** How often a batch PostgreSQL rolled back on its own is sent again before its tasks are left to the policy. */
    static final int ROLLED_BACK_RETRIES = 3;
    private static final NamedSql DELETE_BATCH = NamedSql.of(owned("update") + "delete from taskq_task t using owned "
            + "where t.id = owned.id and (t.unique_until is null or t.unique_until <= cast(:now as timestamptz)) "
            + "returning t.id");
    private static final NamedSql KEEP_BATCH = NamedSql.of(owned("no key update") + "update taskq_task t "
            + "set state = 'SUCCEEDED', finished_at = :now, alive_at = :now, history = " + TaskStore.SUCCEEDED_HISTORY
            + " from owned where t.id = owned.id returning t.id");

    /** A success waiting to be recorded. */
    private record Finished(ClaimedTask task, Instant started) {
    }

    private final Transactions transactions;
    private final DatabaseLink link;
    private final RunningTasks running;
    private final RunListener listener;
    private final Clock clock;
    private final boolean keepSucceeded;
    private final int size;
    private final List<Finished> waiting = new ArrayList<>();

    CompletionBatch(Transactions transactions, DatabaseLink link, RunningTasks running, RunListener listener,
            Clock clock, WorkerSettings settings) {
        this.transactions = transactions;
        this.link = link;
        this.running = running;
        this.listener = listener;
        this.clock = clock;
        this.keepSucceeded = settings.keepSucceeded();
        this.size = settings.completionBatchSize();
    }

    /** @return whether successes are batched at all (the batch size is above 1) */
    boolean enabled() {
        return size > 1;
    }

    /**
     * Adds a success; if that fills the batch, records the batch on this thread, retrying while the database does
     * not answer until it does or {@code giveUp} says to stop (then those tasks are left RUNNING, abandoned).
     */
    void add(ClaimedTask task, Instant started, BooleanSupplier giveUp) {
        List<Finished> full;
        synchronized (waiting) {
            waiting.add(new Finished(task, started));
            if (waiting.size() < size) {
                return;
            }
            full = takeAll();
        }
        recordUntilAnswered(full, giveUp);
    }

    /**
     * Records what waits, with one try: what the database does not take waits for the next flush. While the database
     * does not answer it does not try at all; the heartbeat's next answer (it keeps these tasks alive) resumes it.
     */
    void flush() {
        if (link.isDown()) {
            return;
        }
        List<Finished> batch;
        synchronized (waiting) {
            batch = takeAll();
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            Set<Long> recorded = transactions.requiresNew(em -> record(em, batch));
            link.answered();
            report(batch, recorded);
        } catch (RuntimeException e) {
            if (link.failed(e)) {
                synchronized (waiting) {
                    waiting.addAll(0, batch);
                }
            } else {
                LOG.log(Level.WARNING, "Recording " + batch.size() + " finished task(s) in one statement failed; "
                        + "recording each on its own", e);
                batch.forEach(done -> recordUntilAnswered(List.of(done), () -> true));
            }
        }
    }

    /** Records everything that waits, retrying as {@link #add} does: the worker stops. */
    void flushAll(BooleanSupplier giveUp) {
        List<Finished> batch;
        synchronized (waiting) {
            batch = takeAll();
        }
        if (!batch.isEmpty()) {
            recordUntilAnswered(batch, giveUp);
        }
    }

    private List<Finished> takeAll() {
        List<Finished> all = List.copyOf(waiting);
        waiting.clear();
        return all;
    }

    private void recordUntilAnswered(List<Finished> batch, BooleanSupplier giveUp) {
        for (int attempt = 1; ; attempt++) {
            try {
                report(batch, link.untilAnswered(em -> record(em, batch), giveUp));
                return;
            } catch (RuntimeException e) {
                // SQL states of class 40: PostgreSQL rolled the transaction back on its own (a deadlock, a
                // serialization failure), and the same statement may well succeed when sent again.
                if (attempt <= ROLLED_BACK_RETRIES && SqlStates.any(e, state -> state.startsWith("40"))) {
                    LOG.log(Level.DEBUG, "PostgreSQL rolled back the record of a batch (" + e + "); sending it again");
                    continue;
                }
                LOG.log(Level.WARNING, batch.size() + " task(s) succeeded, but their completion could not be "
                        + "recorded (" + e + "); they are left RUNNING for the dirty policy", e);
                batch.forEach(done -> finished(done, TaskRunner.Outcome.ABANDONED));
                return;
            }
        }
    }

    /**
     * One statement for the whole batch; each row is named with its attempt, so a row taken over stays as it is. A
     * second one, only if the first missed some, keeps those whose unique key holds for a while after success.
     */
    private Set<Long> record(EntityManager em, List<Finished> batch) {
        Instant now = clock.instant();
        Set<Long> recorded = record(em, batch, keepSucceeded, now);
        if (!keepSucceeded && recorded.size() < batch.size()) {
            recorded.addAll(record(em, batch.stream().filter(done -> !recorded.contains(done.task().id())).toList(),
                    true, now));
        }
        return recorded;
    }

    private static Set<Long> record(EntityManager em, List<Finished> batch, boolean keep, Instant now) {
        NamedSql sql = keep ? KEEP_BATCH : DELETE_BATCH;
        // Plain JDBC (see PlainJdbc): a native query of this size cost more JVM time than the statement's round trip.
        return new HashSet<>(PlainJdbc.query(em, sql.jdbc(), row -> row.getLong(1), sql.values(Map.of(
                "now", now,
                "ids", TaskStore.arrayLiteral(batch.stream().map(done -> done.task().id()).toList()),
                "attempts", TaskStore.arrayLiteral(batch.stream().map(done -> done.task().attempt()).toList())))));
    }

    /** The rows of a batch that are still its attempts', locked in id order so that batches never deadlock. */
    private static String owned(String lock) {
        return "with owned as (select t.id from taskq_task t "
                + "join unnest(cast(:ids as bigint[]), cast(:attempts as int[])) as r(id, attempt) "
                + "on t.id = r.id and t.attempt = r.attempt where t.state = 'RUNNING' "
                + "order by t.id for " + lock + " of t) ";
    }

    private void report(List<Finished> batch, Set<Long> recorded) {
        for (Finished done : batch) {
            boolean ours = recorded.contains(done.task().id());
            if (!ours) {
                LOG.log(Level.WARNING, () -> "Task " + TaskRef.of(done.task()) + " finished, but another attempt had "
                        + "taken it over (its heartbeat had stopped): this attempt's completion was discarded");
            }
            finished(done, ours ? TaskRunner.Outcome.SUCCEEDED : TaskRunner.Outcome.LOST);
        }
    }

    private void finished(Finished done, TaskRunner.Outcome outcome) {
        running.remove(done.task());
        Duration took = Duration.between(done.started(), clock.instant());
        listener.finished(done.task(), outcome, took.isNegative() ? Duration.ZERO : took);
    }
}
