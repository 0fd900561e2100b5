package dev.taskq.internal.metrics;

import static dev.taskq.internal.metrics.TaskQMeter.*;

import dev.taskq.TaskGroup;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.TaskRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;
import java.util.Optional;

/**
 * TaskQ's meters in the server's Micrometer registry (WildFly's micrometer subsystem exports them, by OTLP or on
 * its Prometheus context). Loaded only where the server offers the API.
 *
 * <p>Meters are registered through the registry's own methods, never a meter builder's {@code register}: WildFly's
 * per-deployment registry forwards only those to the registry it exports, and refuses {@code config()}. So they
 * carry no description.
 */
public final class MicrometerMeters implements MeterBinding {

    private final MeterRegistry registry;
    private final StatsSnapshot snapshot;
    private WorkerGauges worker; // held here: Micrometer's gauges keep only a weak reference

    /**
     * @return the binding to the application's {@code MeterRegistry} bean, if CDI has one; call only where the API
     *         is visible, else this class cannot load
     */
    public static Optional<MeterBinding> fromCdi(StatsSnapshot snapshot) {
        Instance<MeterRegistry> registry = CDI.current().select(MeterRegistry.class);
        return registry.isResolvable() ? Optional.of(new MicrometerMeters(registry.get(), snapshot)) : Optional.empty();
    }

    MicrometerMeters(MeterRegistry registry, StatsSnapshot snapshot) {
        this.registry = registry;
        this.snapshot = snapshot;
    }

    @Override
    public void addGauges(String queue) {
        for (TaskGroup group : TaskGroup.values()) {
            registry.gauge(TASKS.meterName(), Tags.of(Labels.QUEUE, queue, Labels.GROUP, Labels.of(group)), snapshot,
                    s -> s.tasks(queue, group));
        }
        registry.gauge(OLDEST_PENDING.meterName(), Tags.of(Labels.QUEUE, queue), snapshot,
                s -> s.oldestPendingSeconds(queue));
        registry.gauge(QUEUE_PAUSED.meterName(), Tags.of(Labels.QUEUE, queue), snapshot, s -> s.paused(queue));
    }

    @Override
    public void addWorkerGauges(WorkerGauges worker) {
        this.worker = worker;
        registry.gauge(RUNNING_TASKS.meterName(), Tags.empty(), worker, WorkerGauges::runningTasks);
        registry.gauge(HEARTBEAT.meterName(), Tags.empty(), worker, WorkerGauges::heartbeatSeconds);
    }

    @Override
    public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
        Tags queue = Tags.of(Labels.QUEUE, task.queue());
        registry.timer(START_DELAY.meterName(), queue).record(sinceDue);
        registry.timer(CLAIM_WAIT.meterName(), queue).record(sinceClaim);
    }

    @Override
    public void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
        Tags queueAndTask = Tags.of(Labels.QUEUE, task.queue(), Labels.TASK, task.name());
        registry.counter(ATTEMPTS.meterName(), queueAndTask.and(Labels.OUTCOME, Labels.of(outcome))).increment();
        registry.timer(ATTEMPT_DURATION.meterName(), queueAndTask).record(took);
    }

    @Override
    public void close() {
        registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith(PREFIX))
                .forEach(registry::remove);
    }
}
