package dev.taskq;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The numbers to watch and alert on: per queue, how many tasks each group holds and how long the oldest due
 * task has waited; per node, how many tasks run there; and for this node, its recent throughput, how long due
 * tasks waited to start and how long claimed ones waited for a free loop.
 *
 * @param at               when the numbers were taken
 * @param queues           per queue, ordered by name
 * @param runningByNode    RUNNING tasks per worker node
 * @param recentMinutes    this node's last minutes, oldest first, the current (partial) minute last
 */
public record QueueStats(Instant at, List<Queue> queues, Map<String, Long> runningByNode, List<Minute> recentMinutes) {

    /**
     * One queue.
     *
     * @param name          the queue
     * @param paused        whether it is paused
     * @param groups        how many tasks each group holds
     * @param oldestPending how long its oldest due task has waited to be claimed; zero when none waits
     */
    public record Queue(String name, boolean paused, Map<TaskGroup, Long> groups, Duration oldestPending) {
    }

    /**
     * One minute of this node's work.
     *
     * @param start      the minute
     * @param succeeded  attempts that succeeded
     * @param failed     attempts that failed (retried or for good)
     * @param started    tasks started
     * @param sinceDue   how long the started tasks had been due before they started: the queue's latency
     * @param sinceClaim how long they had waited in this node's prefetch for a free loop: too long means a prefetch too large
     * @param mostDue    the most tasks, over all queues, that this node saw due and waiting in the minute (sampled
     *                   every 10 s), or {@code null} where it took no sample
     */
    public record Minute(Instant start, long succeeded, long failed, long started, Wait sinceDue, Wait sinceClaim,
            Long mostDue) {
    }

    /**
     * How long the tasks started in a minute had waited.
     *
     * @param mean the mean wait
     * @param max  the longest
     */
    public record Wait(Duration mean, Duration max) {

        /** No task started. */
        public static final Wait NONE = new Wait(Duration.ZERO, Duration.ZERO);
    }
}
