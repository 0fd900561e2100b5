package dev.taskq.internal.metrics;

import dev.taskq.internal.RunningTasks;
import dev.taskq.internal.Worker;

/**
 * What the two worker gauges read, {@link TaskQMeter#RUNNING_TASKS} and {@link TaskQMeter#HEARTBEAT}: only a node
 * that runs a worker has them. Reads memory only, as a scrape must.
 */
public interface WorkerGauges {

    /** @return how many tasks this node's worker has claimed and not finished */
    double runningTasks();

    /** @return when the worker last beat, in seconds since the epoch; NaN before its first beat */
    double heartbeatSeconds();

    /**
     * @param running the tasks this node's worker holds
     * @param worker  the worker, for its heartbeat
     * @return the gauges of that worker
     */
    static WorkerGauges of(RunningTasks running, Worker worker) {
        return new WorkerGauges() {
            @Override
            public double runningTasks() {
                return running.size();
            }

            @Override
            public double heartbeatSeconds() {
                return worker.lastHeartbeat().map(beat -> beat.toEpochMilli() / 1000.0).orElse(Double.NaN);
            }
        };
    }
}
