package dev.taskq.internal.metrics;

import static dev.taskq.internal.metrics.MeterNames.*;

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
 * per-deployment registry forwards only those to the registry it exports, and refuses {@code config()}.
 */
public final class MicrometerMeters implements MeterBinding {

    private final MeterRegistry registry;
    private final StatsSnapshot snapshot;

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
            registry.gauge(TASKS, Tags.of(QUEUE, queue, GROUP, tag(group)), snapshot, s -> s.tasks(queue, group));
        }
        registry.gauge(OLDEST_PENDING, Tags.of(QUEUE, queue), snapshot, s -> s.oldestPendingSeconds(queue));
        registry.gauge(PAUSED, Tags.of(QUEUE, queue), snapshot, s -> s.paused(queue));
    }

    @Override
    public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
        Tags queue = Tags.of(QUEUE, task.queue());
        registry.timer(START_DELAY, queue).record(sinceDue);
        registry.timer(CLAIM_WAIT, queue).record(sinceClaim);
    }

    @Override
    public void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
        Tags queueAndTask = Tags.of(QUEUE, task.queue(), TASK, task.name());
        registry.counter(ATTEMPTS, queueAndTask.and(OUTCOME, tag(outcome))).increment();
        registry.timer(ATTEMPT_DURATION, queueAndTask).record(took);
    }

    @Override
    public void close() {
        registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith(PREFIX))
                .forEach(registry::remove);
    }
}
