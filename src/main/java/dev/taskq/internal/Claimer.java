package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Claims due tasks for this node, one claim per transaction, and gives back the ones it will not run.
 *
 * <p>Each claim is named by its instant, which this claimer makes unique (strictly increasing, at the microsecond
 * PostgreSQL keeps) and writes as the rows' {@code started_at}. A claim whose commit the database may or may not
 * have made (the connection broke meanwhile) can so be undone exactly once the database answers, by
 * {@link #undo}: those rows were never handed to a loop.
 */
public final class Claimer {

    private final TaskStore store;
    private final ClaimStore claims = new ClaimStore();
    private final Transactions transactions;
    private final RunningTasks running;
    private final WorkerSettings settings;
    private final Clock clock;
    private final PausedQueues pausedQueues;
    private final HandlerLimits handlerLimits;
    private Instant lastClaim = Instant.EPOCH;

    Claimer(TaskStore store, Transactions transactions, RunningTasks running, WorkerSettings settings, Clock clock,
            PausedQueues pausedQueues, Map<String, Integer> handlerLimits) {
        this.handlerLimits = new HandlerLimits(handlerLimits);
        this.store = store;
        this.transactions = transactions;
        this.running = running;
        this.settings = settings;
        this.clock = clock;
        this.pausedQueues = pausedQueues;
    }

    /**
     * @return as {@link #claim(int, Instant)} with the most one claim of this node ever takes: a task for every
     *         loop, plus the prefetch
     */
    public List<ClaimedTask> runOnce() {
        return claim(settings.threads() + settings.prefetch(), nextClaimInstant());
    }

    /** @return an instant that names one claim: never the same twice on this claimer */
    synchronized Instant nextClaimInstant() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        lastClaim = now.isAfter(lastClaim) ? now : lastClaim.plus(1, ChronoUnit.MICROS);
        return lastClaim;
    }

    /**
     * @param limit    the most tasks to claim
     * @param claimAt  the claim's instant, from {@link #nextClaimInstant()}
     * @return the tasks claimed from the node's queues that are not paused; they are RUNNING on this node once this
     *         returns
     */
    List<ClaimedTask> claim(int limit, Instant claimAt) {
        return claim(settings.queues(), limit, claimAt);
    }

    /**
     * As {@link #claim(int, Instant)}, from {@code queues} alone: a lane of the worker's loops. A queue with a limit
     * of RUNNING tasks across the cluster is claimed on its own, at most the room its limit leaves, the limited ones
     * in random order so that none starves the others; the other queues then share what is left of {@code limit},
     * by priority. Tasks of a handler with a limit ({@link dev.taskq.MaxRunning}) are claimed up to its room (see
     * {@link HandlerLimits}).
     */
    List<ClaimedTask> claim(List<String> queues, int limit, Instant claimAt) {
        List<ClaimedTask> claimed = transactions.requiresNew(em -> {
            Set<String> paused = pausedQueues.get(em);
            List<String> open = paused.isEmpty() ? queues
                    : queues.stream().filter(queue -> !paused.contains(queue)).toList();
            Instant aliveSince = clock.instant().minus(settings.dirtyThreshold());
            Map<String, Integer> queueRoom = new TreeMap<>(); // locked in name order, claimed in random order
            open.stream().filter(settings.maxRunning()::containsKey).sorted().forEach(queue -> queueRoom.put(queue,
                    RunningLimit.roomOfQueue(em, queue, settings.maxRunning().get(queue), aliveSince)));
            List<String> limited = new ArrayList<>(queueRoom.keySet());
            Collections.shuffle(limited);
            List<String> free = open.stream().filter(queue -> !queueRoom.containsKey(queue)).toList();
            HandlerLimits.Claim handlers = handlerLimits.begin(em, aliveSince);
            List<LockedTask> due = new ArrayList<>();
            for (String queue : limited) {
                int room = Math.min(limit - due.size(), queueRoom.get(queue));
                if (room > 0) {
                    due.addAll(handlers.lock(claims, List.of(queue), claimAt, room));
                }
            }
            if (due.size() < limit && !free.isEmpty()) {
                due.addAll(handlers.lock(claims, free, claimAt, limit - due.size()));
            }
            return claims.markClaimed(em, due, claimAt, settings.nodeId(), pausedQueues::changed);
        });
        claimed.forEach(running::add);
        return claimed;
    }

    /** @return whether tasks named {@code name} have a limit, so that one ending may make room for a claim */
    boolean limitsHandler(String name) {
        return handlerLimits.limits(name);
    }

    /** Gives back claimed tasks that never started: PENDING again, their attempt not counted. */
    public void release(List<ClaimedTask> unstarted) {
        transactions.requiresNew(em -> release(em, unstarted));
        forget(unstarted);
    }

    /** As {@link #release(List)}, in the transaction of {@code em}; the caller then {@linkplain #forget forgets} them. */
    long release(EntityManager em, List<ClaimedTask> unstarted) {
        return unstarted.stream().filter(task -> store.release(em, task)).count();
    }

    /** Stops keeping {@code tasks} alive: they were given back, or are left to the dirty policy. */
    void forget(List<ClaimedTask> tasks) {
        tasks.forEach(running::remove);
    }

    /**
     * Undoes the claim made at {@code claimAt}, in the transaction of {@code em}, if its commit happened after all:
     * its tasks become PENDING again, their attempt not counted.
     *
     * @return how many tasks it gave back
     */
    int undo(EntityManager em, Instant claimAt) {
        return claims.releaseClaim(em, settings.nodeId(), claimAt);
    }
}
