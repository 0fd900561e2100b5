package dev.taskq.internal.cdi;

import dev.taskq.QueueStats;
import dev.taskq.internal.ClusterStats;
import dev.taskq.internal.Engine;
import dev.taskq.internal.metrics.MeterBinding;
import dev.taskq.internal.metrics.MicroProfileMeters;
import dev.taskq.internal.metrics.MicrometerMeters;
import dev.taskq.internal.metrics.StatsSnapshot;
import dev.taskq.internal.metrics.WorkerGauges;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes TaskQ's meters through each metrics library the server offers the application: MicroProfile Metrics
 * (Payara) and Micrometer (WildFly with its micrometer subsystem). Counters and timers hear this node's attempts as
 * they end; the queues' gauges read a snapshot of {@link QueueStats} that this publisher refreshes every
 * {@link #REFRESH} on the managed scheduler, so a scrape never waits for the database; the worker's gauges read the
 * worker. Where no library is offered, nothing runs.
 */
final class MetricsPublisher {

    /** How often the gauges' snapshot is taken: one scan of the task table. */
    static final Duration REFRESH = ClusterStats.INTERVAL; // as often as the lease holder takes them

    private static final System.Logger LOG = System.getLogger(MetricsPublisher.class.getName());

    private final Engine engine;
    private final StatsSnapshot snapshot;
    private final List<MeterBinding> bindings;
    private final Set<String> queuesWithGauges = new HashSet<>(); // touched by one refresh at a time
    private ScheduledFuture<?> refreshing;
    private boolean failing;

    private MetricsPublisher(Engine engine, StatsSnapshot snapshot, List<MeterBinding> bindings) {
        this.engine = engine;
        this.snapshot = snapshot;
        this.bindings = bindings;
    }

    /** @return a publisher, started, for the libraries that {@code classLoader} (the application's) sees */
    static MetricsPublisher start(Engine engine, ScheduledExecutorService scheduler, ClassLoader classLoader) {
        StatsSnapshot snapshot = new StatsSnapshot(engine::clusterStats); // one node takes them for all
        List<MeterBinding> bindings = new ArrayList<>();
        if (TaskQExtension.visible(TaskQExtension.MICROPROFILE_METRICS, classLoader)) {
            MicroProfileMeters.fromCdi(snapshot).ifPresent(bindings::add);
        }
        if (TaskQExtension.visible("io.micrometer.core.instrument.MeterRegistry", classLoader)) {
            MicrometerMeters.fromCdi(snapshot).ifPresent(bindings::add);
        }
        MetricsPublisher publisher = new MetricsPublisher(engine, snapshot, bindings);
        if (!bindings.isEmpty()) {
            publisher.refresh(); // the gauges exist before the first scrape
            bindings.forEach(engine.runListeners()::add);
            publisher.refreshing = scheduler.scheduleWithFixedDelay(publisher::refresh, REFRESH.toMillis(),
                    REFRESH.toMillis(), TimeUnit.MILLISECONDS);
            LOG.log(Level.INFO, "TaskQ publishes its meters through {0}, gauges refreshed every {1}",
                    bindings.stream().map(binding -> binding.getClass().getSimpleName()).toList(), REFRESH);
        }
        return publisher;
    }

    /** Adds the gauges of this node's worker, once it has started. */
    void addWorker(WorkerGauges worker) {
        bindings.forEach(binding -> binding.addWorkerGauges(worker));
    }

    /** Stops refreshing and removes TaskQ's meters, as the application stops. */
    void stop() {
        if (refreshing != null) {
            refreshing.cancel(false);
        }
        for (MeterBinding binding : bindings) {
            engine.runListeners().remove(binding);
            binding.close();
        }
    }

    private void refresh() {
        try {
            QueueStats stats = snapshot.refresh();
            for (QueueStats.Queue queue : stats.queues()) {
                if (queuesWithGauges.add(queue.name())) {
                    bindings.forEach(binding -> binding.addGauges(queue.name()));
                }
            }
            if (failing) {
                LOG.log(Level.INFO, "TaskQ's gauges are up to date again");
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.log(Level.WARNING, "Could not take TaskQ's stats for its gauges; they show the last numbers "
                        + "taken and are tried again every " + REFRESH, e);
            }
            failing = true;
        }
    }
}
