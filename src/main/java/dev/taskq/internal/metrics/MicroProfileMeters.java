package dev.taskq.internal.metrics;

import static dev.taskq.internal.metrics.MeterNames.*;

import dev.taskq.TaskGroup;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.TaskRunner;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * TaskQ's meters in the application's MicroProfile Metrics registry (Payara serves them at {@code /metrics}).
 * Loaded only where the server offers the API.
 */
public final class MicroProfileMeters implements MeterBinding {

    private static final Metadata TASKS_META = metadata(TASKS, TASKS_HELP, MetricUnits.NONE);
    private static final Metadata OLDEST_META = metadata(OLDEST_PENDING, OLDEST_PENDING_HELP, MetricUnits.NONE);
    private static final Metadata PAUSED_META = metadata(PAUSED, PAUSED_HELP, MetricUnits.NONE);
    private static final Metadata ATTEMPTS_META = metadata(ATTEMPTS, ATTEMPTS_HELP, MetricUnits.NONE);
    private static final Metadata DURATION_META = metadata(ATTEMPT_DURATION, ATTEMPT_DURATION_HELP,
            MetricUnits.SECONDS);
    private static final Metadata START_META = metadata(START_DELAY, START_DELAY_HELP, MetricUnits.SECONDS);
    private static final Metadata CLAIM_META = metadata(CLAIM_WAIT, CLAIM_WAIT_HELP, MetricUnits.SECONDS);

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
        Tag queueTag = new Tag(QUEUE, queue);
        for (TaskGroup group : TaskGroup.values()) {
            registry.gauge(TASKS_META, snapshot, s -> s.tasks(queue, group), queueTag, new Tag(GROUP, tag(group)));
        }
        registry.gauge(OLDEST_META, snapshot, s -> s.oldestPendingSeconds(queue), queueTag);
        registry.gauge(PAUSED_META, snapshot, s -> s.paused(queue), queueTag);
    }

    @Override
    public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
        Tag queue = new Tag(QUEUE, task.queue());
        registry.timer(START_META, queue).update(sinceDue);
        registry.timer(CLAIM_META, queue).update(sinceClaim);
    }

    @Override
    public void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
        Tag queue = new Tag(QUEUE, task.queue());
        Tag name = new Tag(TASK, task.name());
        registry.counter(ATTEMPTS_META, queue, name, new Tag(OUTCOME, tag(outcome))).inc();
        registry.timer(DURATION_META, queue, name).update(took);
    }

    @Override
    public void close() {
        registry.removeMatching((id, metric) -> id.getName().startsWith(PREFIX));
    }

    private static Metadata metadata(String name, String description, String unit) {
        return Metadata.builder().withName(name).withDescription(description).withUnit(unit).build();
    }
}
