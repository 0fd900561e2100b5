package dev.taskq.internal.metrics;

import dev.taskq.QueueStats;
import dev.taskq.TaskGroup;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The latest {@link QueueStats}, taken on TaskQ's own schedule, so that a metrics library's gauges read numbers and
 * never the database: a scrape runs on the server's threads, outside the application's transactions and naming
 * context, and must stay cheap however often it comes.
 */
public final class StatsSnapshot {

    private final Supplier<QueueStats> source;
    private volatile Map<String, QueueStats.Queue> queues = Map.of();

    /** @param source takes the stats (one scan of the task table) */
    public StatsSnapshot(Supplier<QueueStats> source) {
        this.source = source;
    }

    /** Takes the stats now; the gauges show them from here on. @return them */
    public QueueStats refresh() {
        QueueStats stats = source.get();
        queues = stats.queues().stream().collect(Collectors.toUnmodifiableMap(QueueStats.Queue::name,
                Function.identity()));
        return stats;
    }

    /** @return how many tasks of {@code queue} were in {@code group}; 0 for a queue no longer seen */
    public long tasks(String queue, TaskGroup group) {
        QueueStats.Queue seen = queues.get(queue);
        return seen == null ? 0 : seen.groups().getOrDefault(group, 0L);
    }

    /** @return how long, in seconds, the oldest due task of {@code queue} had waited */
    public double oldestPendingSeconds(String queue) {
        QueueStats.Queue seen = queues.get(queue);
        return seen == null ? 0 : seen.oldestPending().toMillis() / 1000.0;
    }

    /** @return 1 if {@code queue} was paused, else 0 */
    public int paused(String queue) {
        QueueStats.Queue seen = queues.get(queue);
        return seen != null && seen.paused() ? 1 : 0;
    }
}
