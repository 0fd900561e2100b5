package dev.taskq;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The limits on how many tasks run at once, as the node that answers reads its configuration. Each node enforces
 * the limits it reads, so every node of a cluster should be configured alike.
 *
 * @param byQueue   per queue, the most of its tasks RUNNING at once on all nodes together
 *                  ({@code taskq.queue.<name>.max-running})
 * @param byName    per task name, the most of its tasks RUNNING at once on all nodes together ({@link MaxRunning})
 * @param nodeLoops per queue with loops of its own on this node ({@code taskq.worker.queues=mail:2}), how many;
 *                  the most of its tasks this node runs at once
 */
public record RunningLimits(Map<String, Integer> byQueue, Map<String, Integer> byName,
        Map<String, Integer> nodeLoops) {

    /** Keeps copies, ordered by name. */
    public RunningLimits {
        byQueue = sorted(byQueue);
        byName = sorted(byName);
        nodeLoops = sorted(nodeLoops);
    }

    private static Map<String, Integer> sorted(Map<String, Integer> limits) {
        return Collections.unmodifiableMap(new TreeMap<>(limits));
    }
}
