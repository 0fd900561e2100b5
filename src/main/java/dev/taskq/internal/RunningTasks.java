package dev.taskq.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The (task, attempt) pairs this node has claimed and not yet finished: what the heartbeat keeps alive. */
public final class RunningTasks {

    private final Map<Long, Integer> attempts = new ConcurrentHashMap<>();

    void add(ClaimedTask task) {
        attempts.put(task.id(), task.attempt());
    }

    void remove(ClaimedTask task) {
        attempts.remove(task.id(), task.attempt());
    }

    /** @return a copy: task id to attempt */
    public Map<Long, Integer> snapshot() {
        return Map.copyOf(attempts);
    }

    /** @return how many tasks this node runs now */
    public int size() {
        return attempts.size();
    }
}
