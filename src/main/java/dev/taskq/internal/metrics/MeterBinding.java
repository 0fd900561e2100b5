package dev.taskq.internal.metrics;

import dev.taskq.internal.RunListener;

/**
 * TaskQ's meters in one metrics library: gauges over a {@link StatsSnapshot}, counters and timers fed by the run
 * events. The same names everywhere ({@link MeterNames}), so a dashboard works on either server.
 */
public interface MeterBinding extends RunListener {

    /** Adds the gauges of a queue not seen before; called for every queue of each refreshed snapshot. */
    void trackQueue(String queue);

    /** Removes every meter this binding registered, as the application stops. */
    void close();
}
