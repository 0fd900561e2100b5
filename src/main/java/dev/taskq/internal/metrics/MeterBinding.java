package dev.taskq.internal.metrics;

import dev.taskq.internal.RunListener;

/**
 * TaskQ's meters in one metrics library: gauges over a {@link StatsSnapshot} and the worker, counters and timers fed
 * by the run events. The names, types and labels are {@link TaskQMeter}'s, so a dashboard works on either server
 * and on the admin resource's text.
 */
public interface MeterBinding extends RunListener {

    /** Adds the gauges of a queue; called once per queue, when a snapshot first shows it. */
    void addGauges(String queue);

    /** Adds the gauges of this node's worker; called once, when the worker has started. */
    void addWorkerGauges(WorkerGauges worker);

    /** Removes every meter this binding registered, as the application stops. */
    void close();
}
