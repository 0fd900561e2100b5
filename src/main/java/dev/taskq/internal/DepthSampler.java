package dev.taskq.internal;

import dev.taskq.TaskGroup;
import java.time.Duration;

/**
 * Samples the queue's depth, the tasks due and waiting over all queues, into this node's {@link Throughput}, so the
 * admin page can draw the last minutes of it from the moment it opens. It reads the {@link ClusterStats}, which one
 * node takes for all; in a server it runs every {@link #INTERVAL} on the managed scheduler, worker or not.
 */
public final class DepthSampler {

    /** How often a server samples. */
    public static final Duration INTERVAL = ClusterStats.INTERVAL;

    private final ClusterStats stats;
    private final Throughput throughput;

    DepthSampler(ClusterStats stats, Throughput throughput) {
        this.stats = stats;
        this.throughput = throughput;
    }

    /** @return the due tasks counted */
    public long runOnce() {
        long due = stats.latest().stream().mapToLong(queue -> queue.groups().get(TaskGroup.PENDING)).sum();
        throughput.sampledDepth(due);
        return due;
    }
}
