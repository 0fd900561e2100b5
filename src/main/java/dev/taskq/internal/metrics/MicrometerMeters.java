package dev.taskq.internal.metrics;

import static dev.taskq.internal.metrics.MeterNames.*;

import dev.taskq.TaskGroup;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.TaskRunner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TaskQ's meters in the server's Micrometer registry (WildFly's micrometer subsystem exports them, by OTLP or on
 * its Prometheus context). Loaded only where the server offers the API.
 */
public final class MicrometerMeters implements MeterBinding {

    private final MeterRegistry registry;
    private final StatsSnapshot snapshot;
    private final Set<String> trackedQueues = ConcurrentHashMap.newKeySet();
    private final Set<Meter> registered = ConcurrentHashMap.newKeySet();

    /**
     * @return the binding to the application's {@code MeterRegistry} bean, if CDI has one; call only where the API is
     *         visible, else this class cannot load
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
    public void trackQueue(String queue) {
        if (!trackedQueues.add(queue)) {
            return;
        }
        for (TaskGroup group : TaskGroup.values()) {
            registered.add(Gauge.builder(TASKS, snapshot, s -> s.tasks(queue, group)).description(TASKS_HELP)
                    .tags(QUEUE, queue, GROUP, tag(group)).register(registry));
        }
        registered.add(Gauge.builder(OLDEST_PENDING, snapshot, s -> s.oldestPendingSeconds(queue))
                .description(OLDEST_PENDING_HELP).baseUnit("seconds").tags(QUEUE, queue).register(registry));
        registered.add(Gauge.builder(PAUSED, snapshot, s -> s.paused(queue)).description(PAUSED_HELP)
                .tags(QUEUE, queue).register(registry));
    }

    @Override
    public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
        remember(Timer.builder(START_DELAY).description(START_DELAY_HELP).tags(QUEUE, task.queue())
                .register(registry)).record(sinceDue);
        remember(Timer.builder(CLAIM_WAIT).description(CLAIM_WAIT_HELP).tags(QUEUE, task.queue())
                .register(registry)).record(sinceClaim);
    }

    @Override
    public void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
        remember(Counter.builder(ATTEMPTS).description(ATTEMPTS_HELP)
                .tags(QUEUE, task.queue(), TASK, task.name(), OUTCOME, tag(outcome)).register(registry)).increment();
        remember(Timer.builder(ATTEMPT_DURATION).description(ATTEMPT_DURATION_HELP)
                .tags(QUEUE, task.queue(), TASK, task.name()).register(registry)).record(took);
    }

    @Override
    public void close() {
        registered.forEach(registry::remove);
        registered.clear();
        trackedQueues.clear();
    }

    /** Keeps each meter, for {@link #close()}; the registry hands back the same meter for the same id. */
    private <M extends Meter> M remember(M meter) {
        registered.add(meter);
        return meter;
    }
}
