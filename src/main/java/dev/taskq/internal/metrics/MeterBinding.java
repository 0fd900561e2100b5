package dev.taskq.internal.metrics;

import dev.taskq.internal.RunListener;

/**
 * TaskQ's meters in one metrics library: gauges over a {@link StatsSnapshot}, counters and timers fed by the run
 * events. The same names everywhere ({@link MeterNames}), so a dashboard works on either server.
 */
public interface MeterBinding extends RunListener {

    /** Adds the gauges of a queue; called once per queue, when a snapshot first shows it. */
    void addGauges(String queue);

    /** Removes every meter this binding registered, as the application stops. */
    void close();
}
