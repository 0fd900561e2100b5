package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The handlers' limits of RUNNING tasks across the cluster ({@link dev.taskq.MaxRunning}), as a claim applies them.
 * A claim first counts, without locks, which limited handlers have no room and leaves their tasks out of its select,
 * so that they cannot fill it and hold back the tasks behind them. Of the tasks it locks, it keeps, for each limited
 * handler, at most the room it counts under that handler's advisory lock; it only tries that lock, never waits for
 * it, since a claimer that holds it is claiming those tasks itself. Tasks it does not keep stay PENDING, charged
 * nothing, and it selects again without their handler, until its claim is full or nothing was left out.
 */
final class HandlerLimits {

    private final Map<String, Integer> limits;

    /** @param limits task name to the most of its tasks running at once */
    HandlerLimits(Map<String, Integer> limits) {
        this.limits = Map.copyOf(limits);
    }

    /** @return whether tasks named {@code name} have a limit */
    boolean limits(String name) {
        return limits.containsKey(name);
    }

    /** @return one claim's view of the limits, in the transaction of {@code em} */
    Claim begin(EntityManager em, Instant aliveSince) {
        return new Claim(em, aliveSince, limits.isEmpty() ? new TreeSet<>()
                : new TreeSet<>(RunningLimit.namesWithoutRoom(em, limits, aliveSince)));
    }

    /** The handlers one claim has found full, and the room left of those whose lock it holds. */
    final class Claim {
        private final EntityManager em;
        private final Instant aliveSince;
        private final Set<String> full;
        private final Map<String, Integer> room = new HashMap<>();
        private final Set<Long> locked = new HashSet<>();

        private Claim(EntityManager em, Instant aliveSince, Set<String> full) {
            this.em = em;
            this.aliveSince = aliveSince;
            this.full = full;
        }

        /** @return up to {@code limit} due tasks of {@code queues}, locked, within every handler's limit */
        List<LockedTask> lock(ClaimStore claims, Collection<String> queues, Instant now, int limit) {
            if (limits.isEmpty()) {
                return claims.lockDue(em, queues, now, limit, Set.of(), Set.of());
            }
            List<LockedTask> kept = new java.util.ArrayList<>();
            while (kept.size() < limit) {
                int wanted = limit - kept.size();
                List<LockedTask> due = claims.lockDue(em, queues, now, wanted, full, locked);
                boolean leftOut = false;
                for (LockedTask task : due) {
                    locked.add(task.id()); // our own locks: a select again would return them
                    if (keeps(task.name())) {
                        kept.add(task);
                    } else {
                        leftOut = true;
                    }
                }
                if (!leftOut || due.size() < wanted) {
                    break;
                }
            }
            return kept;
        }

        private boolean keeps(String name) {
            if (!limits.containsKey(name)) {
                return true;
            }
            int left = room.computeIfAbsent(name,
                    key -> RunningLimit.tryRoomOfName(em, name, limits.get(name), aliveSince));
            if (left <= 0) {
                full.add(name);
                return false;
            }
            room.put(name, left - 1);
            if (left == 1) {
                full.add(name);
            }
            return true;
        }
    }
}
