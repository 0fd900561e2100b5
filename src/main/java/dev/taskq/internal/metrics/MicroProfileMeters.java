package dev.taskq.internal.metrics;

import static dev.taskq.internal.metrics.TaskQMeter.*;

import dev.taskq.TaskGroup;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.TaskRunner;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * TaskQ's meters in the application's MicroProfile Metrics registry (Payara serves them at {@code /metrics}).
 * Loaded only where the server offers the API.
 *
 * <p>Timers are declared in nanoseconds, what they record: the exporter then names them {@code _seconds} and scales
 * every figure to seconds. Declared in seconds, Payara 6 printed the sum in seconds but the max and the quantiles in
 * nanoseconds (MetricsIT checks that the max is no larger than the sum).
 */
public final class MicroProfileMeters implements MeterBinding {

    private static final Map<TaskQMeter, Metadata> METADATA = new EnumMap<>(TaskQMeter.class);

    static {
        for (TaskQMeter meter : TaskQMeter.values()) {
            METADATA.put(meter, Metadata.builder().withName(meter.meterName()).withDescription(meter.help())
                    .withUnit(meter.type() == Type.TIMER ? MetricUnits.NANOSECONDS : MetricUnits.NONE).build());
        }
    }

    private final MetricRegistry registry;
    private final StatsSnapshot snapshot;

    /**
     * @return the binding to the application's {@code MetricRegistry}, if the server offers one; call only where the
     *         API is visible, else this class cannot load
     */
    public static Optional<MeterBinding> fromCdi(StatsSnapshot snapshot) {
        Instance<MicroProfileRegistry> holder = CDI.current().select(MicroProfileRegistry.class);
        return holder.isResolvable()
                ? holder.get().registry().map(registry -> new MicroProfileMeters(registry, snapshot))
                : Optional.empty();
    }

    MicroProfileMeters(MetricRegistry registry, StatsSnapshot snapshot) {
        this.registry = registry;
        this.snapshot = snapshot;
    }

    @Override
    public void addGauges(String queue) {
        Tag queueTag = new Tag(Labels.QUEUE, queue);
        for (TaskGroup group : TaskGroup.values()) {
            registry.gauge(METADATA.get(TASKS), snapshot, s -> s.tasks(queue, group), queueTag,
                    new Tag(Labels.GROUP, Labels.of(group)));
        }
        registry.gauge(METADATA.get(OLDEST_PENDING), snapshot, s -> s.oldestPendingSeconds(queue), queueTag);
        registry.gauge(METADATA.get(QUEUE_PAUSED), snapshot, s -> s.paused(queue), queueTag);
    }

    @Override
    public void addWorkerGauges(WorkerGauges worker) {
        registry.gauge(METADATA.get(RUNNING_TASKS), worker, WorkerGauges::runningTasks);
        registry.gauge(METADATA.get(HEARTBEAT), worker, WorkerGauges::heartbeatSeconds);
    }

    @Override
    public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
        Tag queue = new Tag(Labels.QUEUE, task.queue());
        registry.timer(METADATA.get(START_DELAY), queue).update(sinceDue);
        registry.timer(METADATA.get(CLAIM_WAIT), queue).update(sinceClaim);
    }

    @Override
    public void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
        Tag queue = new Tag(Labels.QUEUE, task.queue());
        Tag name = new Tag(Labels.TASK, task.name());
        registry.counter(METADATA.get(ATTEMPTS), queue, name, new Tag(Labels.OUTCOME, Labels.of(outcome))).inc();
        registry.timer(METADATA.get(ATTEMPT_DURATION), queue, name).update(took);
    }

    @Override
    public void close() {
        registry.removeMatching((id, metric) -> id.getName().startsWith(PREFIX));
    }
}
