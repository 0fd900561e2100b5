package dev.taskq.internal.cdi;

import dev.taskq.internal.ConfigReader;
import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskEnqueued;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.internal.metrics.NodeMeters;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * The application's one {@link Engine}: its configuration read once, its handlers from the extension, JTA, the shared
 * clock, and enqueues announced as CDI events. The queue, the admin, the worker and the test helpers all use it.
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

    private ConfigReader config;
    private WorkerSettings settings;
    private Engine engine;
    private NodeMeters nodeMeters;

    @PostConstruct
    void create() {
        config = ConfigReader.forApplication(Thread.currentThread().getContextClassLoader());
        settings = WorkerSettings.from(config);
        engine = Engine.create(transactions, taskq.handlers(), taskq.codec(), settings, clock.clock(),
                enqueued::fire);
        nodeMeters = new NodeMeters(clock.clock());
        engine.runListeners().add(nodeMeters);
    }

    /** @return the engine */
    public Engine engine() {
        return engine;
    }

    /** @return this node's counters and timers since it started, for the admin resource's Prometheus text */
    public NodeMeters nodeMeters() {
        return nodeMeters;
    }

    /** @return the application's configuration, its files read once */
    public ConfigReader config() {
        return config;
    }

    /** @return the settings it was built with */
    public WorkerSettings settings() {
        return settings;
    }
}
