package dev.taskq.internal.cdi;

import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskEnqueued;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.internal.metrics.NodeMeters;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.function.Consumer;

/**
 * The application's one {@link Engine}: its configuration and handlers from the extension, JTA, the shared clock,
 * and (in a test deployment only) enqueues announced as CDI events for the test helper. The queue, the admin, the
 * worker and the test helper all use it.
 */
@ApplicationScoped
public class CdiEngine {

    @Inject
    TaskQExtension taskq;

    @Inject
    JtaTransactions transactions;

    @Inject
    TaskQClock clock;

    @Inject
    Event<TaskEnqueued> enqueued;

    private WorkerSettings settings;
    private Engine engine;
    private NodeMeters nodeMeters;

    @PostConstruct
    void create() {
        settings = WorkerSettings.from(taskq.config());
        // Only the test helper observes enqueues; in production no event is even made.
        Consumer<TaskEnqueued> announce = taskq.settings().testing() ? enqueued::fire : task -> { };
        engine = Engine.create(transactions, taskq.handlers(), taskq.codec(), taskq.schedules(), settings,
                clock.clock(), announce);
        nodeMeters = new NodeMeters(clock.clock());
        engine.runListeners().add(nodeMeters);
    }

    /** @return the engine */
    public Engine engine() {
        return engine;
    }

    /** @return the server integration's settings */
    public ServerSettings server() {
        return taskq.settings();
    }

    /** @return this node's counters and timers since it started, for the admin resource's Prometheus text */
    public NodeMeters nodeMeters() {
        return nodeMeters;
    }

    /** @return the settings it was built with */
    public WorkerSettings settings() {
        return settings;
    }
}
