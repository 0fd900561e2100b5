package dev.taskq.internal;

import java.time.Duration;

/**
 * Told of every attempt this node runs, on the thread that runs it (a success recorded with a
 * {@link CompletionBatch}, on the thread that records the batch): the seam through which the node's throughput
 * figures and the server's metrics library see the work. Implementations must be quick and thread-safe; an
 * exception they throw is logged and never changes the attempt. Durations are never negative (nodes' clocks differ
 * a little, so a wait measured against another node's ETA can come out below zero: it is reported as zero).
 */
public interface RunListener {

    /**
     * An attempt begins.
     *
     * @param task       the claimed task
     * @param sinceDue   how long it had been due (its ETA passed) before it started
     * @param sinceClaim how long it had waited in this node's prefetch before it started
     */
    void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim);

    /**
     * An attempt ended.
     *
     * @param task    the claimed task
     * @param outcome how it ended
     * @param took    how long the attempt ran, its completion or failure record included
     */
    void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took);
}
